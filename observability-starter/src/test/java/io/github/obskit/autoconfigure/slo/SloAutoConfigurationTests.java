package io.github.obskit.autoconfigure.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.metrics.MetricsDefaultsEnvironmentPostProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

class SloAutoConfigurationTests {

  private static final AutoConfigurations CONFIGURATIONS =
      AutoConfigurations.of(
          MetricsAutoConfiguration.class,
          PrometheusMetricsExportAutoConfiguration.class,
          SloAutoConfiguration.class);

  // The buckets come from the starter's environment post-processor, as in an application.
  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withInitializer(
              (context) ->
                  new MetricsDefaultsEnvironmentPostProcessor()
                      .postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
          .withConfiguration(CONFIGURATIONS);

  private final WebApplicationContextRunner webContextRunner =
      new WebApplicationContextRunner()
          .withInitializer(
              (context) ->
                  new MetricsDefaultsEnvironmentPostProcessor()
                      .postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
          .withConfiguration(CONFIGURATIONS)
          .withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class))
          .withUserConfiguration(ReportsController.class);

  @Test
  void publishesTheDefaultObjectives() {
    this.contextRunner.run(
        (context) -> {
          String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
          assertThat(objectives(scrape))
              .containsExactlyInAnyOrder(
                  "obskit_slo_objective_ratio{le=\"\",slo=\"availability\",uri=\"\"} 0.999",
                  "obskit_slo_objective_ratio{le=\"0.5\",slo=\"latency\",uri=\"\"} 0.99");
          assertThat(scrape)
              .contains("# HELP obskit_slo_objective_ratio Objective of the service's HTTP");
        });
  }

  @Test
  void publishesTheDeclaredObjectives() {
    this.contextRunner
        .withPropertyValues(
            "observability.slo.availability.objective=99.5",
            "observability.slo.latency.objective=95",
            "observability.slo.latency.threshold=2s")
        .run(
            (context) ->
                assertThat(objectives(context.getBean(PrometheusMeterRegistry.class).scrape()))
                    .containsExactlyInAnyOrder(
                        "obskit_slo_objective_ratio{le=\"\",slo=\"availability\",uri=\"\"} 0.995",
                        "obskit_slo_objective_ratio{le=\"2.0\",slo=\"latency\",uri=\"\"} 0.95"));
  }

  @Test
  void publishesAnObjectivePerRouteWithAThresholdOfItsOwn() {
    this.webContextRunner
        .withPropertyValues(
            "observability.slo.latency.routes[0].uri=/reports/**",
            "observability.slo.latency.routes[0].threshold=5s")
        .run(
            (context) ->
                assertThat(objectives(context.getBean(PrometheusMeterRegistry.class).scrape()))
                    .contains(
                        "obskit_slo_objective_ratio{le=\"5.0\",slo=\"latency\",uri=\"/reports\"}"
                            + " 0.99",
                        "obskit_slo_objective_ratio{le=\"5.0\",slo=\"latency\","
                            + "uri=\"/reports/{id}\"} 0.99")
                    .hasSize(4));
  }

  @Test
  void resolvesRoutesOfAReactiveApplication() {
    new ReactiveWebApplicationContextRunner()
        .withInitializer(
            (context) ->
                new MetricsDefaultsEnvironmentPostProcessor()
                    .postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
        .withConfiguration(CONFIGURATIONS)
        .withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class))
        .withUserConfiguration(ReportsController.class)
        .withPropertyValues(
            "observability.slo.latency.routes[0].uri=/reports/{id}",
            "observability.slo.latency.routes[0].threshold=5s")
        .run(
            (context) ->
                assertThat(objectives(context.getBean(PrometheusMeterRegistry.class).scrape()))
                    .contains(
                        "obskit_slo_objective_ratio{le=\"5.0\",slo=\"latency\","
                            + "uri=\"/reports/{id}\"} 0.99"));
  }

  @Test
  void failsTheStartupOnARoutePatternThatMatchesNoRouteWithAnAnalysis() {
    this.webContextRunner
        .withPropertyValues(
            "observability.slo.latency.routes[0].uri=/report/**",
            "observability.slo.latency.routes[0].threshold=5s")
        .run(
            (context) -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("observability.slo.latency.routes[0].uri")
                  .contains("'/report/**' matches none of the routes")
                  .contains("/reports/{id}");
              assertThat(analysis.getAction()).contains("uri");
            });
  }

  @Test
  void failsTheStartupOnAnObjectiveOutsideZeroToAHundredPercent() {
    this.contextRunner
        .withPropertyValues("observability.slo.latency.objective=100")
        .run(
            (context) -> {
              assertThat(context).hasFailed();
              assertThat(analyze(context.getStartupFailure()).getDescription())
                  .contains("observability.slo.latency.objective")
                  .contains("outside (0, 100) %");
            });
  }

  @Test
  void failsTheStartupOnAThresholdThatIsNoSensibleBucket() {
    this.contextRunner
        .withPropertyValues("observability.slo.latency.threshold=250us")
        .run(
            (context) -> {
              assertThat(context).hasFailed();
              assertThat(analyze(context.getStartupFailure()).getDescription())
                  .contains("observability.slo.latency.threshold")
                  .contains("no sensible histogram bucket");
            });
  }

  @Test
  void failsTheStartupWhenTheApplicationsOwnBucketsLeaveOutAThreshold() {
    this.contextRunner
        .withPropertyValues(
            "management.metrics.distribution.slo.http.server.requests=100ms,1s",
            "observability.slo.latency.threshold=300ms")
        .run(
            (context) -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis = analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("management.metrics.distribution.slo.http.server.requests")
                  .contains("PT0.3S");
              assertThat(analysis.getAction()).contains("observability.metrics.slo-buckets");
            });
  }

  @Test
  void acceptsTheApplicationsOwnBucketsWhenTheyHoldTheThresholds() {
    this.contextRunner
        .withPropertyValues("management.metrics.distribution.slo.http=300ms,1s")
        .withPropertyValues("observability.slo.latency.threshold=300ms")
        .run((context) -> assertThat(context).hasNotFailed());
  }

  @Test
  void publishesNothingWhenDisabled() {
    this.contextRunner
        .withPropertyValues("observability.slo.enabled=false")
        .run(
            (context) -> {
              assertThat(context).doesNotHaveBean(SloObjectivesPublisher.class);
              assertThat(context.getBean(MeterRegistry.class).find(SloMetrics.NAME).gauges())
                  .isEmpty();
            });
  }

  @Test
  void publishesNothingWithoutTheStartersMetricsDefaults() {
    this.contextRunner
        .withPropertyValues("observability.metrics.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean(SloObjectivesPublisher.class));
  }

  @Test
  void backsOffWithoutMicrometer() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SloAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run((context) -> assertThat(context).doesNotHaveBean(SloObjectives.class));
  }

  @Test
  void usersObjectivesWin() {
    this.contextRunner
        .withUserConfiguration(OwnObjectives.class)
        .run(
            (context) ->
                assertThat(objectives(context.getBean(PrometheusMeterRegistry.class).scrape()))
                    .contains(
                        "obskit_slo_objective_ratio{le=\"\",slo=\"availability\",uri=\"\"} 0.9"));
  }

  private static FailureAnalysis analyze(Throwable failure) {
    return new SloConfigurationFailureAnalyzer().analyze(failure);
  }

  private static List<String> objectives(String scrape) {
    return scrape.lines().filter((line) -> line.startsWith("obskit_slo_objective_ratio{")).toList();
  }

  @RestController
  static class ReportsController {

    @GetMapping("/reports")
    String reports() {
      return "reports";
    }

    @GetMapping("/reports/{id}")
    String report() {
      return "report";
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnObjectives {

    @Bean
    SloObjectives sloObjectives() {
      ObservabilitySloProperties properties = new ObservabilitySloProperties();
      properties.getAvailability().setObjective(90);
      return SloObjectives.of(properties);
    }
  }
}
