package io.github.obskit.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.web.ReactiveScrapePathHandlerMapping;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class PrometheusScrapePathAutoConfigurationTests {

  private static final AutoConfigurations CONFIGURATIONS =
      AutoConfigurations.of(
          MetricsAutoConfiguration.class,
          PrometheusMetricsExportAutoConfiguration.class,
          PrometheusScrapePathAutoConfiguration.class);

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS);

  private final ReactiveWebApplicationContextRunner reactiveContextRunner =
      new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS);

  @Test
  void servesTheScrapeOnItsOwnPathByDefault() {
    this.contextRunner.run(
        (context) ->
            assertThat(context)
                .hasSingleBean(PrometheusScrapeHandler.class)
                .hasBean("prometheusScrapePathRoute"));
  }

  @Test
  void delegatesToTheActuatorEndpointWhenItIsExposed() {
    this.contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=prometheus")
        .run(
            (context) ->
                assertThat(context.getBean(PrometheusScrapeHandler.class))
                    .extracting("scrape.endpoint")
                    .isSameAs(context.getBean(PrometheusScrapeEndpoint.class)));
  }

  @Test
  void keepsServingWhenTheActuatorEndpointIsNotExposed() {
    this.contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=health")
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(PrometheusScrapeEndpoint.class)
                    .hasSingleBean(PrometheusScrapeHandler.class));
  }

  @Test
  void backsOffWhenDisabled() {
    this.contextRunner
        .withPropertyValues("observability.prometheus.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean(PrometheusScrapeHandler.class));
  }

  @Test
  void staysOffTheApplicationsPortWhenActuatorHasItsOwn() {
    this.contextRunner
        .withPropertyValues("management.server.port=9090")
        .run((context) -> assertThat(context).doesNotHaveBean("prometheusScrapePathRoute"));
  }

  @Test
  void servesOnTheApplicationsPortBesideActuatorsOwnWhenSwitchedOnExplicitly() {
    this.contextRunner
        .withPropertyValues("management.server.port=9090", "observability.prometheus.enabled=true")
        .run((context) -> assertThat(context).hasBean("prometheusScrapePathRoute"));
  }

  @Test
  void backsOffWhenThePathIsEmpty() {
    this.contextRunner
        .withPropertyValues("observability.prometheus.path=")
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(PrometheusScrapeHandler.class)
                    .doesNotHaveBean("prometheusScrapePathRoute"));
  }

  @Test
  void backsOffWhenPrometheusExportIsDisabled() {
    this.contextRunner
        .withPropertyValues("management.prometheus.metrics.export.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean(PrometheusScrapeHandler.class));
  }

  @Test
  void backsOffWithoutThePrometheusRegistryOnTheClasspath() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(PrometheusMeterRegistry.class))
        .run((context) -> assertThat(context).doesNotHaveBean(PrometheusScrapeHandler.class));
  }

  @Test
  void backsOffInANonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .run((context) -> assertThat(context).doesNotHaveBean(PrometheusScrapeHandler.class));
  }

  @Test
  void usesTheUsersHandler() {
    this.contextRunner
        .withUserConfiguration(UserHandlerConfiguration.class)
        .run(
            (context) ->
                assertThat(context)
                    .getBean(PrometheusScrapeHandler.class)
                    .isSameAs(context.getBean("userHandler")));
  }

  @Test
  void servesTheScrapePathInAReactiveApplication() {
    this.reactiveContextRunner.run(
        (context) -> {
          assertThat(context)
              .hasSingleBean(ReactivePrometheusScrapeHandler.class)
              .doesNotHaveBean(PrometheusScrapeHandler.class);
          assertThat(context.getBean("prometheusScrapePathRoute"))
              .isInstanceOf(ReactiveScrapePathHandlerMapping.class);
        });
  }

  @Test
  void reactiveScrapePathBacksOffWhenDisabledOrWithoutWebFlux() {
    this.reactiveContextRunner
        .withPropertyValues("observability.prometheus.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean("prometheusScrapePathRoute"));
    this.reactiveContextRunner
        .withClassLoader(
            new FilteredClassLoader(
                org.springframework.web.reactive.handler.SimpleUrlHandlerMapping.class))
        .run((context) -> assertThat(context).doesNotHaveBean("prometheusScrapePathRoute"));
  }

  @Test
  void servletScrapePathBacksOffWithoutSpringMvc() {
    this.contextRunner
        .withClassLoader(
            new FilteredClassLoader(
                org.springframework.web.servlet.handler.SimpleUrlHandlerMapping.class))
        .run((context) -> assertThat(context).doesNotHaveBean("prometheusScrapePathRoute"));
  }

  @Configuration(proxyBeanMethods = false)
  static class UserHandlerConfiguration {

    @Bean
    PrometheusScrapeHandler userHandler(PrometheusMeterRegistry registry) {
      return new PrometheusScrapeHandler(
          new PrometheusScrapeEndpoint(registry.getPrometheusRegistry(), null));
    }
  }
}
