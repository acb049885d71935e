package io.github.obskit.autoconfigure.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class SpanExportAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(BootTracing.AUTO_CONFIGURATIONS)
          .withConfiguration(AutoConfigurations.of(SpanExportAutoConfiguration.class))
          .withBean(SimpleMeterRegistry.class);

  @Test
  void wrapsEverySpanExporterToRecordItsResults() {
    this.contextRunner
        .withUserConfiguration(UserSpanExporterConfiguration.class)
        .run(
            (context) -> {
              List<SpanExporter> exporters = context.getBean(SpanExporters.class).list();
              assertThat(exporters).singleElement().isInstanceOf(ResultRecordingSpanExporter.class);
              SpanExportResults results = context.getBean(SpanExportResults.class);
              assertThat(results.latestExportsSucceeded()).isFalse();

              exporters.get(0).export(List.of());

              assertThat(results.latestExportsSucceeded()).isTrue();
            });
  }

  @Test
  void registersTheExportMetersWithDescriptionsAndUnits() {
    this.contextRunner.run(
        (context) -> {
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          context.getBean(SpanExportMetrics.class).bindTo(registry);
          assertThat(registry.getMeters())
              .filteredOn((meter) -> meter.getId().getName().startsWith("tracing."))
              .extracting((meter) -> meter.getId().getName())
              .containsExactlyInAnyOrder(
                  "tracing.exported.spans",
                  "tracing.export.failed.spans",
                  "tracing.dropped.spans",
                  "tracing.queued.spans");
          assertThat(registry.getMeters())
              .filteredOn((meter) -> meter.getId().getName().startsWith("tracing."))
              .allSatisfy(
                  (meter) -> {
                    assertThat(meter.getId().getDescription()).isNotBlank();
                    assertThat(meter.getId().getBaseUnit()).isEqualTo("spans");
                  });
        });
  }

  @Test
  void givesTheBatchSpanProcessorItsMeterProvider() {
    this.contextRunner.run(
        (context) ->
            assertThat(context)
                .hasSingleBean(MeterProvider.class)
                .hasSingleBean(SpanProcessorMeterProvider.class)
                .doesNotHaveBean(SdkMeterProvider.class));
  }

  @Test
  void leavesAMeterProviderOfTheApplicationsOwnAndMetersOnlyTheExportResults() {
    this.contextRunner
        .withBean("userMeterProvider", MeterProvider.class, MeterProvider::noop)
        .run(
            (context) -> {
              assertThat(context).doesNotHaveBean(SpanProcessorMeterProvider.class);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              context.getBean(SpanExportMetrics.class).bindTo(registry);
              assertThat(registry.find("tracing.exported.spans").functionCounter()).isNotNull();
              assertThat(registry.find("tracing.dropped.spans").functionCounter()).isNull();
            });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsSpanExporters() {
    this.contextRunner
        .withBean("userSpanExporters", SpanExporters.class, () -> SpanExporters.of(List.of()))
        .run(
            (context) -> {
              assertThat(context).hasSingleBean(SpanExporters.class).hasBean("userSpanExporters");
              assertThat(context.getBean(SpanExportResults.class).recordsExports()).isFalse();
            });
  }

  @Test
  void backsOffWithoutTheOpenTelemetryMetricsSdk() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(SdkMeterProvider.class))
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(SpanExportResults.class)
                    .doesNotHaveBean(SpanProcessorMeterProvider.class));
  }

  @Test
  void anExportThatFailsClosesTheGateUntilOneSucceeds() {
    SpanExportResults results = new SpanExportResults();
    CompletableResultCode[] next = {CompletableResultCode.ofFailure()};
    SpanExporter exporter = new ResultRecordingSpanExporter(exporter(next), results);

    exporter.export(List.of());
    assertThat(results.latestExportsSucceeded()).isFalse();
    assertThat(results.failedSpans()).isZero();

    next[0] = CompletableResultCode.ofSuccess();
    exporter.export(List.of());
    assertThat(results.latestExportsSucceeded()).isTrue();

    CompletableResultCode pending = new CompletableResultCode();
    next[0] = pending;
    exporter.export(List.of());
    assertThat(results.latestExportsSucceeded()).isTrue();
    pending.fail();
    assertThat(results.latestExportsSucceeded()).isFalse();
  }

  private static SpanExporter exporter(CompletableResultCode[] next) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return next[0];
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }

  @Configuration(proxyBeanMethods = false)
  static class UserSpanExporterConfiguration {

    @Bean
    SpanExporter userSpanExporter() {
      return exporter(new CompletableResultCode[] {CompletableResultCode.ofSuccess()});
    }
  }
}
