package io.github.obskit.passenger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "io.github.obskit.passenger",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  @ArchTest
  static final ArchRule libraryDependsOnNoSpring =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.springframework..")
          .because("the library is plain Java; only the starter knows Spring");

  @ArchTest
  static final ArchRule onlyTheCliUsesThePrometheusRegistry =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.github.obskit.passenger.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.micrometer.prometheusmetrics..", "io.prometheus..", "picocli..")
          .because(
              "micrometer-registry-prometheus, the Prometheus client's HTTP exporter and picocli are"
                  + " optional dependencies used by the CLI only");

  @ArchTest
  static final ArchRule statusModelKnowsNoMicrometer =
      noClasses()
          .that()
          .resideInAPackage("io.github.obskit.passenger.status")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.micrometer..")
          .because("the model and parser are usable without metrics");
}
