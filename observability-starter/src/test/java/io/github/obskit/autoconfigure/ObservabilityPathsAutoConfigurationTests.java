package io.github.obskit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.metrics.PrometheusScrapePathAutoConfiguration;
import io.github.obskit.autoconfigure.passenger.PassengerMetricsAutoConfiguration;
import io.github.obskit.autoconfigure.web.ObservabilityPaths;
import io.github.obskit.autoconfigure.web.RequestPathMatcher;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletPath;

class ObservabilityPathsAutoConfigurationTests {

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DispatcherServletAutoConfiguration.class,
                  EndpointAutoConfiguration.class,
                  WebEndpointAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  PrometheusMetricsExportAutoConfiguration.class,
                  PrometheusScrapePathAutoConfiguration.class,
                  PassengerMetricsAutoConfiguration.class,
                  ObservabilityPathsAutoConfiguration.class))
          .withPropertyValues(
              "observability.passenger.enabled=true", "observability.passenger.source=simulator");

  private static final String[] CANDIDATES = {
    "/actuator/health", "/actuator/prometheus", "/metrics", "/passenger_metrics", "/orders/1"
  };

  @Test
  void holdsActuatorTheScrapePathAndThePassengerPathByDefault() {
    this.contextRunner.run(
        (context) ->
            assertThat(matching(context, CANDIDATES))
                .containsExactly(
                    "/actuator/health", "/actuator/prometheus", "/metrics", "/passenger_metrics"));
  }

  @Test
  void leavesOutThePassengerPathWhenThePassengerMetricsAreInTheApplicationRegistry() {
    this.contextRunner
        .withPropertyValues("observability.passenger.endpoint.enabled=false")
        .run(
            (context) ->
                assertThat(matching(context, CANDIDATES))
                    .containsExactly("/actuator/health", "/actuator/prometheus", "/metrics"));
  }

  @Test
  void followsMovedScrapeAndPassengerPaths() {
    this.contextRunner
        .withPropertyValues(
            "observability.prometheus.path=/internal/prometheus",
            "observability.passenger.endpoint.path=/passenger/scrape")
        .run(
            (context) ->
                assertThat(
                        matching(
                            context,
                            "/internal/prometheus",
                            "/passenger/scrape",
                            "/metrics",
                            "/passenger_metrics"))
                    .containsExactly("/internal/prometheus", "/passenger/scrape"));
  }

  @Test
  void leavesOutTheScrapePathWhenItIsNotServed() {
    this.contextRunner
        .withPropertyValues("observability.prometheus.enabled=false")
        .run(
            (context) ->
                assertThat(matching(context, CANDIDATES))
                    .containsExactly(
                        "/actuator/health", "/actuator/prometheus", "/passenger_metrics"));
  }

  @Test
  void leavesOutTheScrapeAndPassengerPathsWhenPrometheusExportIsDisabled() {
    this.contextRunner
        .withPropertyValues("management.prometheus.metrics.export.enabled=false")
        .run(
            (context) ->
                assertThat(matching(context, CANDIDATES))
                    .containsExactly("/actuator/health", "/actuator/prometheus"));
  }

  @Test
  void followsAMovedActuatorBasePath() {
    this.contextRunner
        .withPropertyValues("management.endpoints.web.base-path=/manage")
        .run(
            (context) ->
                assertThat(matching(context, "/manage", "/manage/health", "/actuator/health"))
                    .containsExactly("/manage", "/manage/health"));
  }

  @Test
  void holdsNoneOfTheseWhenActuatorHasAPortOfItsOwn() {
    this.contextRunner
        .withPropertyValues("management.server.port=8081")
        .run((context) -> assertThat(matching(context, CANDIDATES)).isEmpty());
  }

  @Test
  void holdsTheActuatorBasePathWhenTheManagementPortIsTheServerPort() {
    this.contextRunner
        .withPropertyValues("server.port=8090", "management.server.port=8090")
        .run(
            (context) ->
                assertThat(matching(context, "/actuator/health", "/orders/1"))
                    .containsExactly("/actuator/health"));
  }

  @Test
  void prefixesEveryPathWithTheDispatcherServletPath() {
    this.contextRunner
        .withPropertyValues("spring.mvc.servlet.path=/api")
        .run(
            (context) ->
                assertThat(
                        matching(
                            context,
                            "/api/actuator/health",
                            "/api/metrics",
                            "/api/passenger_metrics",
                            "/actuator/health",
                            "/metrics",
                            "/passenger_metrics"))
                    .containsExactly(
                        "/api/actuator/health", "/api/metrics", "/api/passenger_metrics"));
  }

  @Test
  void includesTheHealthProbesServedOnTheApplicationsPortEvenWithAManagementPort() {
    this.contextRunner
        .withConfiguration(
            AutoConfigurations.of(
                ApplicationAvailabilityAutoConfiguration.class,
                HealthContributorAutoConfiguration.class,
                HealthContributorRegistryAutoConfiguration.class,
                HealthEndpointAutoConfiguration.class,
                AvailabilityProbesAutoConfiguration.class))
        .withPropertyValues(
            "management.server.port=0",
            "management.endpoint.health.probes.enabled=true",
            "management.endpoint.health.probes.add-additional-paths=true",
            "management.endpoint.health.group.custom.include=ping",
            "management.endpoint.health.group.custom.additional-path=server:/custom-health",
            "management.endpoint.health.group.internal.include=ping",
            "management.endpoint.health.group.internal.additional-path=management:/internal-health")
        .run(
            (context) ->
                assertThat(
                        matching(
                            context,
                            "/livez",
                            "/readyz",
                            "/custom-health",
                            "/internal-health",
                            "/actuator/health"))
                    .containsExactly("/livez", "/readyz", "/custom-health"));
  }

  @Test
  void omitsActuatorWhenItsEndpointsShareTheRootWithTheApplication() {
    this.contextRunner
        .withPropertyValues("management.endpoints.web.base-path=/")
        .run(
            (context) ->
                assertThat(matching(context, "/health", "/orders/1", "/metrics"))
                    .containsExactly("/metrics"));
  }

  @Test
  void addsTheLeadingSlashTheRoutesAdd() {
    this.contextRunner
        .withPropertyValues("observability.prometheus.path=scrape")
        .run((context) -> assertThat(matching(context, "/scrape")).containsExactly("/scrape"));
  }

  @Test
  void failsWithTheNameOfThePropertyAPathComesFrom() {
    this.contextRunner
        .withPropertyValues("management.endpoints.web.base-path=/manage/{unclosed")
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(
                        "Invalid path pattern '/manage/{unclosed/**' in"
                            + " management.endpoints.web.base-path"));
  }

  @Test
  void startsWithoutBootsHealthSupport() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(HealthEndpointGroups.class))
        .run(
            (context) ->
                assertThat(matching(context, "/actuator/health", "/metrics", "/livez"))
                    .containsExactly("/actuator/health", "/metrics"));
  }

  @Test
  void prefixesNothingWithoutBootsSpringMvcSupport() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(DispatcherServletPath.class))
        .withPropertyValues("spring.mvc.servlet.path=/api")
        .run(
            (context) ->
                assertThat(matching(context, "/actuator/health", "/api/actuator/health"))
                    .containsExactly("/actuator/health"));
  }

  @Test
  void backsOffWhenTheUserDefinesThePaths() {
    ObservabilityPaths userPaths = new ObservabilityPaths(Map.of("test", "/probe"));
    this.contextRunner
        .withBean(ObservabilityPaths.class, () -> userPaths)
        .run(
            (context) -> assertThat(context).getBean(ObservabilityPaths.class).isSameAs(userPaths));
  }

  @Test
  void holdsActuatorAndTheScrapePathOfAReactiveApplicationWithoutAServletPrefix() {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                EndpointAutoConfiguration.class,
                WebEndpointAutoConfiguration.class,
                MetricsAutoConfiguration.class,
                PrometheusMetricsExportAutoConfiguration.class,
                PrometheusScrapePathAutoConfiguration.class,
                ObservabilityPathsAutoConfiguration.class))
        .withPropertyValues(
            "spring.mvc.servlet.path=/ignored", "observability.prometheus.path=/scrape")
        .run(
            (context) -> {
              RequestPathMatcher matcher = context.getBean(ObservabilityPaths.class).getMatcher();
              assertThat(Arrays.stream(CANDIDATES).filter(matcher::matches))
                  .containsExactly("/actuator/health", "/actuator/prometheus");
              assertThat(matcher.matches("/scrape")).isTrue();
            });
  }

  @Test
  void backsOffInANonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ObservabilityPathsAutoConfiguration.class))
        .run((context) -> assertThat(context).doesNotHaveBean(ObservabilityPaths.class));
  }

  private static List<String> matching(AssertableWebApplicationContext context, String... paths) {
    RequestPathMatcher matcher = context.getBean(ObservabilityPaths.class).getMatcher();
    return Arrays.stream(paths).filter((path) -> matcher.matches(path)).toList();
  }
}
