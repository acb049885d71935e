package io.github.obskit.demo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

@AnalyzeClasses(
    packages = "io.github.obskit.demo",
    importOptions = {
      ImportOption.DoNotIncludeTests.class,
      DemoArchitectureTests.DoNotIncludeAotGenerated.class
    })
class DemoArchitectureTests {

  /**
   * Leaves out what spring-boot:process-aot generates into target/classes (the e2e profile runs
   * it), {@code Foo__BeanDefinitions} and proxies: Spring's code, kept after a build with {@code
   * -Pe2e} until the next clean.
   */
  static final class DoNotIncludeAotGenerated implements ImportOption {

    @Override
    public boolean includes(Location location) {
      return !location.contains("__") && !location.contains("$$SpringCGLIB$$");
    }
  }

  // Metrics, logging and Passenger belong to the starter; the demo only wires endpoints.
  @ArchTest
  static final ArchRule demoHoldsOnlyControllersConfigurationAndTheMainClass =
      classes()
          .that()
          .doNotHaveSimpleName("package-info")
          .should()
          .beAnnotatedWith(RestController.class)
          .orShould()
          .beAnnotatedWith(RestControllerAdvice.class)
          .orShould()
          .beAnnotatedWith(Configuration.class)
          .orShould()
          .beAnnotatedWith(SpringBootApplication.class);

  // Observability is the starter's job: the demo neither records metrics nor configures logging
  // or tracing. Like any application it may observe its own work with the Observation API
  // (io.micrometer.observation), which the starter turns into spans and timers.
  @ArchTest
  static final ArchRule demoLeavesMetricsLoggingAndPassengerToTheStarter =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.micrometer.core..",
              "io.micrometer.prometheusmetrics..",
              "io.micrometer.tracing..",
              "io.opentelemetry..",
              "io.prometheus..",
              "ch.qos.logback..",
              "net.logstash..",
              "io.github.obskit.autoconfigure..",
              "io.github.obskit.logging..",
              "io.github.obskit.passenger..");
}
