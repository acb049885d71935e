package io.github.obskit.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

class MetricsDefaultsEnvironmentPostProcessorTests {

  private final MetricsDefaultsEnvironmentPostProcessor postProcessor =
      new MetricsDefaultsEnvironmentPostProcessor();

  @Test
  void exposesOnlyHealthInfoAndPrometheus() {
    MockEnvironment environment = postProcess(new MockEnvironment());

    assertThat(environment.getProperty("management.endpoints.web.exposure.include"))
        .isEqualTo("health,info,prometheus");
  }

  @Test
  void compressesOnlyTheScrapesTypes() {
    MockEnvironment environment = postProcess(new MockEnvironment());

    assertThat(environment.getProperty("server.compression.enabled")).isEqualTo("true");
    assertThat(environment.getProperty("server.compression.mime-types")).isEqualTo("text/plain");
    assertThat(environment.getProperty("server.compression.additional-mime-types"))
        .isEqualTo(
            "application/openmetrics-text,application/openmetrics-text;version=1.0.0,"
                + "text/plain;version=0.0.4");
  }

  @Test
  void leavesBootsTypesToAnApplicationThatSwitchesCompressionOnItself() {
    MockEnvironment environment =
        postProcess(new MockEnvironment().withProperty("server.compression.enabled", "true"));

    assertThat(environment.containsProperty("server.compression.mime-types")).isFalse();
    // Boot's list has text/plain but not OpenMetrics, the format Prometheus asks for first.
    assertThat(environment.getProperty("server.compression.additional-mime-types"))
        .isEqualTo(
            "application/openmetrics-text,application/openmetrics-text;version=1.0.0,"
                + "text/plain;version=0.0.4");
  }

  @Test
  void applicationsOwnTypesWin() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment().withProperty("server.compression.mime-types", "text/csv"));

    assertThat(environment.getProperty("server.compression.mime-types")).isEqualTo("text/csv");
  }

  @Test
  void turnsOnReactorsAutomaticContextPropagation() {
    MockEnvironment environment = postProcess(new MockEnvironment());

    assertThat(environment.getProperty("spring.reactor.context-propagation")).isEqualTo("auto");
  }

  @Test
  void turnsOnContextPropagationOfBootsTaskExecutor() {
    MockEnvironment environment = postProcess(new MockEnvironment());

    assertThat(environment.getProperty("spring.task.execution.propagate-context"))
        .isEqualTo("true");
  }

  @Test
  void leavesContextPropagationOfBootsTaskExecutorOffWhenTheApplicationSaysSo() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment().withProperty("spring.task.execution.propagate-context", "false"));

    assertThat(environment.getProperty("spring.task.execution.propagate-context"))
        .isEqualTo("false");
  }

  @Test
  void addsTheLogPipelineToTheReadinessGroupOnlyWithTheProbes() {
    assertThat(
            postProcess(new MockEnvironment())
                .getProperty("management.endpoint.health.group.readiness.include"))
        .isEqualTo("readinessState,logPipeline");
    assertThat(
            postProcess(
                    new MockEnvironment()
                        .withProperty("management.endpoint.health.probes.enabled", "false"))
                .containsProperty("management.endpoint.health.group.readiness.include"))
        .isFalse();
  }

  @Test
  void tagsMetricsWithTheApplicationNameAndEnvironment() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment()
                .withProperty("spring.application.name", "orders")
                .withProperty("observability.metrics.env", "prod"));

    assertThat(environment.getProperty("management.metrics.tags.application")).isEqualTo("orders");
    assertThat(environment.getProperty("management.metrics.tags.env")).isEqualTo("prod");
  }

  @Test
  void addsNoTagsForUnsetValues() {
    MockEnvironment environment = postProcess(new MockEnvironment());

    assertThat(environment.containsProperty("management.metrics.tags.application")).isFalse();
    assertThat(environment.containsProperty("management.metrics.tags.env")).isFalse();
  }

  @Test
  void setsTheSloBucketsOfTheRequestTimerAndNoneForInFlightRequests() {
    MockEnvironment environment =
        postProcess(new MockEnvironment().withProperty("observability.metrics.slo-buckets", "1s"));

    // The SLO's default latency threshold joins the buckets.
    assertThat(environment.getProperty("management.metrics.distribution.slo.http.server.requests"))
        .isEqualTo("1s,500ms");
    assertThat(
            environment.getProperty(
                "management.metrics.distribution.slo.http.server.requests.active"))
        .isEmpty();
  }

  @Test
  void setsTheSloBucketsUnderTheNameTheApplicationGaveTheRequestMetric() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment()
                .withProperty("management.observations.http.server.requests.name", "api.requests")
                .withProperty("observability.metrics.slo-buckets", "1s"));

    assertThat(environment.getProperty("management.metrics.distribution.slo.api.requests"))
        .isEqualTo("1s,500ms");
    assertThat(environment.getProperty("management.metrics.distribution.slo.api.requests.active"))
        .isEmpty();
    assertThat(
            environment.containsProperty(
                "management.metrics.distribution.slo.http.server.requests"))
        .isFalse();
  }

  @Test
  void keysTheSloBucketsOfARequestMetricNamedOutsidePropertySyntaxInBrackets() {
    MockEnvironment environment = new MockEnvironment();
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                "defaultProperties",
                Map.of("management.endpoints.web.exposure.include", "health")));
    environment.setProperty("management.observations.http.server.requests.name", "HTTP_requests");

    postProcess(environment);

    assertThat(
            Binder.get(environment)
                .bind(
                    "management.metrics.distribution.slo",
                    Bindable.mapOf(String.class, String.class))
                .get())
        .containsKey("HTTP_requests")
        .containsKey("HTTP_requests.active");
  }

  @Test
  void takesSloBucketsWrittenAsAList() {
    MockEnvironment environment = new MockEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "application.yaml",
                Map.of(
                    "observability.metrics.slo-buckets[0]", "50ms",
                    "observability.metrics.slo-buckets[1]", "2s")));

    postProcess(environment);

    assertThat(environment.getProperty("management.metrics.distribution.slo.http.server.requests"))
        .isEqualTo("50ms,2s,500ms");
  }

  @Test
  void writesSloBucketsInTheLargestUnitThatHoldsThemExactly() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment()
                .withProperty("observability.metrics.slo-buckets", "100ms, 1500us,PT2S,2500ms,75")
                .withProperty("observability.slo.enabled", "false"));

    assertThat(environment.getProperty("management.metrics.distribution.slo.http.server.requests"))
        .isEqualTo("100ms,1500us,2s,2500ms,75ms");
  }

  @Test
  void addsTheSloLatencyThresholdsToTheBucketsOnce() {
    MockEnvironment environment = new MockEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "application.yaml",
                Map.of(
                    "observability.metrics.slo-buckets", "100ms,1s",
                    "observability.slo.latency.threshold", "300ms",
                    "observability.slo.latency.routes[0].uri", "/reports/**",
                    "observability.slo.latency.routes[0].threshold", "5s",
                    "observability.slo.latency.routes[1].uri", "/exports/**",
                    "observability.slo.latency.routes[1].threshold", "1s")));

    postProcess(environment);

    assertThat(environment.getProperty("management.metrics.distribution.slo.http.server.requests"))
        .isEqualTo("100ms,1s,300ms,5s");
  }

  @Test
  void addsNoThresholdWhenSloPublishingIsOff() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment()
                .withProperty("observability.metrics.slo-buckets", "1s")
                .withProperty("observability.slo.enabled", "false"));

    assertThat(environment.getProperty("management.metrics.distribution.slo.http.server.requests"))
        .isEqualTo("1s");
  }

  @Test
  void rejectsAnSloBucketThatIsNoDurationNamingTheProperty() {
    MockEnvironment environment =
        new MockEnvironment().withProperty("observability.metrics.slo-buckets", "5ms,fast");

    assertThatExceptionOfType(BindException.class)
        .isThrownBy(() -> postProcess(environment))
        .withMessageContaining("observability.metrics.slo-buckets");
  }

  @Test
  void defaultSloBucketsAreThoseOfThePropertiesClass() {
    MockEnvironment environment = postProcess(new MockEnvironment());

    List<Duration> buckets =
        Binder.get(environment)
            .bind(
                "management.metrics.distribution.slo.http.server.requests",
                Bindable.listOf(Duration.class))
            .get();
    assertThat(buckets).isEqualTo(new ObservabilityMetricsProperties().getSloBuckets());
  }

  @Test
  void applicationPropertiesWin() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment()
                .withProperty("management.endpoints.web.exposure.include", "*")
                .withProperty("management.metrics.distribution.slo.http.server.requests", "1s"));

    assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isEqualTo("*");
    assertThat(environment.getProperty("management.metrics.distribution.slo.http.server.requests"))
        .isEqualTo("1s");
  }

  @Test
  void propertiesTheApplicationSetsInCodeWin() {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(EmptyConfiguration.class)
            .web(WebApplicationType.NONE)
            .registerShutdownHook(false)
            .properties(
                "management.endpoints.web.exposure.include=health",
                "server.compression.enabled=false",
                "management.metrics.distribution.slo.http.server.requests[0]=1s",
                "management.metrics.distribution.slo.http.server.requests[1]=2s")
            .run()) {
      Environment environment = context.getEnvironment();

      assertThat(environment.getProperty("management.endpoints.web.exposure.include"))
          .isEqualTo("health");
      assertThat(environment.getProperty("server.compression.enabled")).isEqualTo("false");
      assertThat(
              Binder.get(environment)
                  .bind(
                      "management.metrics.distribution.slo.http.server.requests",
                      Bindable.listOf(Duration.class))
                  .get())
          .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
      assertThat(environment.getProperty("spring.reactor.context-propagation"))
          .as("a default the application did not set")
          .isEqualTo("auto");
      assertThat(environment.containsProperty("server.compression.mime-types"))
          .as("compression switched off by the application")
          .isFalse();
    }
  }

  @Test
  void leavesRequestMetricsAloneWhenDisabled() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment()
                .withProperty("observability.metrics.enabled", "false")
                .withProperty("spring.application.name", "orders"));

    assertThat(environment.containsProperty("management.metrics.tags.application")).isFalse();
    assertThat(
            environment.containsProperty(
                "management.metrics.distribution.slo.http.server.requests"))
        .isFalse();
    assertThat(environment.getProperty("management.endpoints.web.exposure.include"))
        .isEqualTo("health,info,prometheus");
  }

  private MockEnvironment postProcess(MockEnvironment environment) {
    this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
    return environment;
  }

  @Configuration(proxyBeanMethods = false)
  static class EmptyConfiguration {}
}
