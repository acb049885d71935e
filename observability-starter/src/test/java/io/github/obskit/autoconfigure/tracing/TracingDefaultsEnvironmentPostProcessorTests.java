package io.github.obskit.autoconfigure.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

class TracingDefaultsEnvironmentPostProcessorTests {

  private static final String PROMETHEUS_PROPERTIES =
      "management.prometheus.metrics.export.properties";

  private final TracingDefaultsEnvironmentPostProcessor postProcessor =
      new TracingDefaultsEnvironmentPostProcessor();

  @Test
  void keepsExemplarsOffCountSamplesForPrometheusBefore243() {
    MockEnvironment environment = postProcess(new MockEnvironment());

    // Bound as Boot binds it into PrometheusProperties, the key keeping its dots.
    assertThat(prometheusProperties(environment))
        .containsEntry("io.prometheus.exporter.exemplarsOnAllMetricTypes", "false");
  }

  @Test
  void leavesTracingExportToBootWhileTracingIsOn() {
    MockEnvironment environment = postProcess(new MockEnvironment());

    assertThat(environment.containsProperty("management.tracing.export.enabled")).isFalse();
  }

  @Test
  void switchesBootsTracingExportOffWhenTracingIsOff() {
    MockEnvironment environment =
        postProcess(new MockEnvironment().withProperty("observability.tracing.enabled", "false"));

    assertThat(environment.getProperty("management.tracing.export.enabled")).isEqualTo("false");
  }

  @Test
  void applicationPropertiesWinOverTheDefaults() {
    MockEnvironment environment = new MockEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "application",
                Map.of(
                    "observability.tracing.enabled",
                    "false",
                    "management.tracing.export.enabled",
                    "true",
                    TracingDefaultsEnvironmentPostProcessor.EXEMPLARS_ON_ALL_METRIC_TYPES,
                    "true")));

    postProcess(environment);

    assertThat(environment.getProperty("management.tracing.export.enabled")).isEqualTo("true");
    assertThat(prometheusProperties(environment))
        .containsEntry("io.prometheus.exporter.exemplarsOnAllMetricTypes", "true");
  }

  @Test
  void applicationDefaultPropertiesWinOverTheDefaults() {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(EmptyConfiguration.class)
            .web(WebApplicationType.NONE)
            .registerShutdownHook(false)
            .properties(
                "observability.tracing.enabled=false", "management.tracing.export.enabled=true")
            .run()) {
      assertThat(context.getEnvironment().getProperty("management.tracing.export.enabled"))
          .isEqualTo("true");
    }
  }

  private static Map<String, String> prometheusProperties(MockEnvironment environment) {
    return Binder.get(environment)
        .bind(PROMETHEUS_PROPERTIES, Bindable.mapOf(String.class, String.class))
        .orElse(Map.of());
  }

  private MockEnvironment postProcess(MockEnvironment environment) {
    this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
    return environment;
  }

  @Configuration(proxyBeanMethods = false)
  static class EmptyConfiguration {}
}
