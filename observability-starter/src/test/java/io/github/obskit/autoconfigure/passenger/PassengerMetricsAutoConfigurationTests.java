package io.github.obskit.autoconfigure.passenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.web.ReactiveScrapePathHandlerMapping;
import io.github.obskit.passenger.metrics.PassengerMetrics;
import io.github.obskit.passenger.status.source.CommandStatusSource;
import io.github.obskit.passenger.status.source.CoreApiStatusSource;
import io.github.obskit.passenger.status.source.FileStatusSource;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource.Scenario;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.HttpRequestHandler;

class PassengerMetricsAutoConfigurationTests {

  private static final String OPEN_METRICS = "application/openmetrics-text;version=1.0.0";

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(PassengerMetricsAutoConfiguration.class))
          .withPropertyValues(
              "observability.passenger.enabled=true", "observability.passenger.source=simulator");

  @Test
  void isOffUnlessEnabled() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PassengerMetricsAutoConfiguration.class))
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(PassengerStatusSource.class)
                    .doesNotHaveBean(PassengerMetricsEndpoint.class)
                    .doesNotHaveBean(PassengerMetrics.class));
  }

  @Test
  void servesTheMetricsOnTheirOwnPathInAServletApplication() {
    this.contextRunner.run(
        (context) ->
            assertThat(context)
                .hasSingleBean(PassengerMetricsEndpoint.class)
                .hasBean("passengerMetricsRoute")
                .doesNotHaveBean(PassengerMetrics.class));
  }

  @Test
  void servesTheMetricsOnTheirOwnPathInAReactiveApplication() {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PassengerMetricsAutoConfiguration.class))
        .withPropertyValues(
            "observability.passenger.enabled=true", "observability.passenger.source=simulator")
        .run(
            (context) -> {
              assertThat(context)
                  .hasSingleBean(PassengerMetricsEndpoint.class)
                  .doesNotHaveBean(PassengerMetrics.class);
              assertThat(context.getBean(PassengerMetricsAutoConfiguration.ROUTE_BEAN_NAME))
                  .isInstanceOf(ReactiveScrapePathHandlerMapping.class);
            });
  }

  @Test
  void bindsToTheApplicationRegistryInAServletApplicationWithoutSpringMvc() {
    this.contextRunner
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.web.servlet.handler.SimpleUrlHandlerMapping"))
        .run(
            (context) ->
                assertThat(context)
                    .hasSingleBean(PassengerMetrics.class)
                    .doesNotHaveBean(PassengerMetricsEndpoint.class)
                    .doesNotHaveBean("passengerMetricsRoute"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "observability.passenger.endpoint.enabled=false",
        "management.server.port=9090",
        "management.prometheus.metrics.export.enabled=false"
      })
  void bindsToTheApplicationRegistryWhenTheEndpointIsNotServed(String setting) {
    this.contextRunner
        .withPropertyValues(setting)
        .run(
            (context) ->
                assertThat(context)
                    .hasSingleBean(PassengerMetrics.class)
                    .doesNotHaveBean(PassengerMetricsEndpoint.class)
                    .doesNotHaveBean("passengerMetricsRoute"));
  }

  @Test
  void servesTheMetricsBesideActuatorsOwnPortWhenTheEndpointIsSwitchedOnExplicitly() {
    this.contextRunner
        .withPropertyValues(
            "management.server.port=9090", "observability.passenger.endpoint.enabled=true")
        .run(
            (context) ->
                assertThat(context)
                    .hasSingleBean(PassengerMetricsEndpoint.class)
                    .hasBean("passengerMetricsRoute")
                    .doesNotHaveBean(PassengerMetrics.class));
  }

  @Test
  void leavesTheUsersBinderToTheApplicationRegistry() {
    this.contextRunner
        .withUserConfiguration(UserBinderConfiguration.class)
        .run(
            (context) ->
                assertThat(context)
                    .hasSingleBean(PassengerMetrics.class)
                    .hasBean("userBinder")
                    .doesNotHaveBean(PassengerMetricsEndpoint.class)
                    .doesNotHaveBean("passengerMetricsRoute"));
  }

  @Test
  void bindsToTheApplicationRegistryWithoutPrometheus() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(PrometheusMeterRegistry.class))
        .run(
            (context) ->
                assertThat(context)
                    .hasSingleBean(PassengerMetrics.class)
                    .doesNotHaveBean(PassengerMetricsEndpoint.class));
  }

  @Test
  void bindsToTheApplicationRegistryInANonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class,
                PassengerMetricsAutoConfiguration.class))
        .withPropertyValues(
            "observability.passenger.enabled=true", "observability.passenger.source=simulator")
        .run(
            (context) -> {
              assertThat(context)
                  .hasSingleBean(PassengerMetrics.class)
                  .doesNotHaveBean(PassengerMetricsEndpoint.class);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              // Outside the dedicated endpoint the binder reads on a schedule of its own, not at
              // bind time.
              await()
                  .atMost(Waits.CONDITION)
                  .untilAsserted(
                      () ->
                          assertThat(registry.get("passenger.up").gauge().value()).isEqualTo(1.0));
            });
  }

  @Test
  void backsOffWithoutThePassengerLibrary() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(PassengerMetrics.class))
        .run((context) -> assertThat(context).doesNotHaveBean(PassengerStatusSource.class));
  }

  @Test
  void usesTheSimulatorWithTheConfiguredScenario() {
    this.contextRunner
        .withPropertyValues("observability.passenger.simulator.scenario=overloaded")
        .run(
            (context) ->
                assertThat(context.getBean(PassengerStatusSource.class))
                    .isInstanceOfSatisfying(
                        SimulatedStatusSource.class,
                        (source) -> assertThat(source.scenario()).isEqualTo(Scenario.OVERLOADED)));
  }

  @Test
  void selectsTheCommandSocketAndFileSources() {
    this.contextRunner
        .withPropertyValues(
            "observability.passenger.source=command",
            "observability.passenger.command.line=passenger-status,--show=xml,instance1")
        .run(
            (context) ->
                assertThat(context.getBean(PassengerStatusSource.class))
                    .isInstanceOf(CommandStatusSource.class)
                    .hasToString("command `passenger-status --show=xml instance1`"));
    this.contextRunner
        .withPropertyValues(
            "observability.passenger.source=socket",
            "observability.passenger.socket.instance-dir=/tmp/passenger.abc",
            "observability.passenger.timeout=2s")
        .run(
            (context) ->
                assertThat(context.getBean(PassengerStatusSource.class))
                    .isInstanceOf(CoreApiStatusSource.class)
                    .hasToString("Passenger core API of /tmp/passenger.abc (2 s timeout)"));
    this.contextRunner
        .withPropertyValues(
            "observability.passenger.source=socket",
            "observability.passenger.socket.instance-name=blue")
        .run(
            (context) ->
                assertThat(context.getBean(PassengerStatusSource.class))
                    .hasToString("Passenger core API of instance blue (5 s timeout)"));
    this.contextRunner
        .withPropertyValues(
            "observability.passenger.source=file", "observability.passenger.file.path=/tmp/s.xml")
        .run(
            (context) ->
                assertThat(context.getBean(PassengerStatusSource.class))
                    .isInstanceOf(FileStatusSource.class)
                    .hasToString("file /tmp/s.xml"));
  }

  @Test
  void failsNamingThePropertyWhenTheFileSourceHasNoPath() {
    this.contextRunner
        .withPropertyValues("observability.passenger.source=file")
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("observability.passenger.file.path"));
  }

  @Test
  void failsOnAnUnknownSource() {
    this.contextRunner
        .withPropertyValues("observability.passenger.source=carrier-pigeon")
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("observability.passenger.source"));
  }

  @Test
  void leavesOutPerProcessSeriesWhenSwitchedOff() {
    this.contextRunner
        .withPropertyValues("observability.passenger.per-process=false")
        .run(
            (context) -> {
              HttpRequestHandler endpoint = PassengerMetricsPath.handler(context);
              String scrape = PassengerMetricsPath.scrape(endpoint, "text/plain");
              assertThat(scrape)
                  .contains("passenger_up 1.0", "passenger_processes ")
                  .doesNotContain(
                      "passenger_process_memory_bytes", "passenger_process_cpu", "pid=");
            });
  }

  @Test
  void appliesTheApplicationsMeterFiltersToTheDedicatedRegistry() {
    this.contextRunner
        .withUserConfiguration(CommonTagConfiguration.class)
        .run(
            (context) ->
                assertThat(PassengerMetricsPath.scrape(context))
                    .contains("passenger_up{application=\"orders\"} 1.0")
                    .doesNotContain("passenger_up 1.0"));
  }

  @Test
  void appliesTheApplicationsPrometheusSettingsToTheDedicatedRegistry() {
    this.contextRunner
        .withConfiguration(
            AutoConfigurations.of(
                MetricsAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class))
        .withPropertyValues(
            "management.prometheus.metrics.export.descriptions=false",
            "management.prometheus.metrics.export.properties.io.prometheus.exporter"
                + ".includeCreatedTimestamps=true")
        .run(
            (context) -> {
              assertThat(PassengerMetricsPath.scrape(context))
                  .contains("passenger_up 1.0")
                  .doesNotContain("# HELP passenger_up 1 if");
              assertThat(
                      PassengerMetricsPath.scrape(
                          PassengerMetricsPath.handler(context), OPEN_METRICS))
                  .containsPattern("(?m)^passenger_process_processed_created\\{");
            });
  }

  @Test
  void exposesPerProcessSeriesByDefault() {
    this.contextRunner.run(
        (context) ->
            assertThat(PassengerMetricsPath.scrape(context))
                .contains("passenger_process_memory_bytes{"));
  }

  @Test
  void givesUpOnAReadAfterTheConfiguredTimeout() {
    // The read answers when the scrape is over, or after 4 s, well within the 5 s default: only the
    // configured timeout makes it a failure, and a stalled test thread has 3.9 s to spare.
    CountDownLatch scrapeOver = new CountDownLatch(1);
    this.contextRunner
        .withBean(PassengerStatusSource.class, () -> heldSource(scrapeOver, Duration.ofSeconds(4)))
        .withPropertyValues("observability.passenger.timeout=100ms")
        .run(
            (context) -> {
              try {
                assertThat(PassengerMetricsPath.scrape(context))
                    .contains(
                        "passenger_up 0.0",
                        "passenger_scrape_errors_total{reason=\"timeout\"} 1.0");
              } finally {
                scrapeOver.countDown();
              }
            });
  }

  @Test
  void readsAgainOnceTheConfiguredCacheTtlHasPassed() {
    AtomicInteger reads = new AtomicInteger();
    countingReadsWithoutCache(reads)
        .run(
            (context) -> {
              HttpRequestHandler endpoint = PassengerMetricsPath.handler(context);
              PassengerMetricsPath.scrape(endpoint, "text/plain");
              int readsOfTheFirstScrape = reads.get();
              // Longer than the configured time-to-live, far shorter than the 5 s default.
              Thread.sleep(50);
              PassengerMetricsPath.scrape(endpoint, "text/plain");
              assertThat(reads.get()).isGreaterThan(readsOfTheFirstScrape);
            });
  }

  @Test
  void readsNothingForARequestItRefuses() {
    AtomicInteger reads = new AtomicInteger();
    countingReadsWithoutCache(reads)
        .run(
            (context) -> {
              HttpRequestHandler endpoint = PassengerMetricsPath.handler(context);
              int readsBefore = reads.get();
              MockHttpServletRequest post =
                  new MockHttpServletRequest("POST", "/passenger_metrics");
              MockHttpServletRequest xml = new MockHttpServletRequest("GET", "/passenger_metrics");
              xml.addHeader("Accept", "application/xml");
              MockHttpServletResponse refusedPost = new MockHttpServletResponse();
              MockHttpServletResponse refusedXml = new MockHttpServletResponse();
              Thread.sleep(5);
              endpoint.handleRequest(post, refusedPost);
              endpoint.handleRequest(xml, refusedXml);
              assertThat(refusedPost.getStatus()).isEqualTo(405);
              assertThat(refusedXml.getStatus()).isEqualTo(406);
              assertThat(reads.get()).isEqualTo(readsBefore);
              PassengerMetricsPath.scrape(endpoint, "text/plain");
              assertThat(reads.get()).isGreaterThan(readsBefore);
            });
  }

  @Test
  void failsNamingThePropertyWhenTheEndpointPathIsEmpty() {
    this.contextRunner
        .withPropertyValues("observability.passenger.endpoint.path=")
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("observability.passenger.endpoint.path")
                    .hasStackTraceContaining("must be one exact path"));
  }

  /** The Passenger endpoint over a source counting its reads, cached for only 1 ms. */
  private WebApplicationContextRunner countingReadsWithoutCache(AtomicInteger reads) {
    PassengerStatusSource simulator = new SimulatedStatusSource(Scenario.NORMAL);
    PassengerStatusSource counting =
        () -> {
          reads.incrementAndGet();
          return simulator.read();
        };
    return this.contextRunner
        .withBean(PassengerStatusSource.class, () -> counting)
        .withPropertyValues("observability.passenger.cache-ttl=1ms");
  }

  /** A source that answers once released, or after the longest hold. */
  private static PassengerStatusSource heldSource(CountDownLatch release, Duration longestHold) {
    PassengerStatusSource simulator = new SimulatedStatusSource(Scenario.NORMAL);
    return () -> {
      try {
        release.await(longestHold.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      return simulator.read();
    };
  }

  @Test
  void usesTheUsersSource() {
    this.contextRunner
        .withUserConfiguration(UserSourceConfiguration.class)
        .run(
            (context) ->
                assertThat(context.getBean(PassengerStatusSource.class))
                    .isSameAs(context.getBean("userSource")));
  }

  @Configuration(proxyBeanMethods = false)
  static class UserSourceConfiguration {

    @Bean
    PassengerStatusSource userSource() {
      return new SimulatedStatusSource(Scenario.NORMAL);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class CommonTagConfiguration {

    @Bean
    MeterFilter commonTags() {
      return MeterFilter.commonTags(Tags.of("application", "orders"));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserBinderConfiguration {

    @Bean(destroyMethod = "close")
    PassengerMetrics userBinder() {
      return PassengerMetrics.builder(new SimulatedStatusSource(Scenario.NORMAL)).build();
    }
  }
}
