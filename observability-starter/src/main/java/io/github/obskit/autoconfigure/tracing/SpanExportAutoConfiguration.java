package io.github.obskit.autoconfigure.tracing;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Records the result of every span export and meters the export: Boot's span exporters are wrapped
 * in {@link ResultRecordingSpanExporter}s (through Boot's {@link SpanExporters} bean, which its
 * batch span processor exports to), and Boot's batch span processor reports its queue and drops to
 * a {@link SpanProcessorMeterProvider} (Boot hands it any {@link MeterProvider} bean).
 */
@AutoConfiguration(
    beforeName =
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
@ConditionalOnClass({SpanExporter.class, SpanExporters.class, SdkMeterProvider.class})
public final class SpanExportAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  SpanExportResults spanExportResults() {
    return new SpanExportResults();
  }

  @Bean
  @ConditionalOnMissingBean
  SpanExporters spanExporters(ObjectProvider<SpanExporter> exporters, SpanExportResults results) {
    return SpanExporters.of(
        exporters
            .orderedStream()
            .map((exporter) -> new ResultRecordingSpanExporter(exporter, results))
            .toList());
  }

  @Bean
  @ConditionalOnMissingBean(MeterProvider.class)
  SpanProcessorMeterProvider spanProcessorMeterProvider() {
    return new SpanProcessorMeterProvider();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class SpanExportMetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SpanExportMetrics spanExportMetrics(
        SpanExportResults results, ObjectProvider<SpanProcessorMeterProvider> processors) {
      return new SpanExportMetrics(results, processors.getIfAvailable());
    }
  }
}
