package io.github.obskit.autoconfigure.tracing;

import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.tracer.common.SpanContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/**
 * Gives the Prometheus client the span context that decides which request gets an exemplar, so that
 * an exemplar links to a trace a backend received as far as the application can know: none while no
 * span is exported (no OTLP endpoint set, export switched off, or tracing off), and, while spans
 * are exported, a sampled trace only while the latest exports succeeded ({@link
 * ExportedTracesSpanContext}). It replaces the span context of Boot's {@code
 * PrometheusExemplarsAutoConfiguration}, which gives every sampled trace an exemplar.
 */
@AutoConfiguration(
    after = {SpanExportAutoConfiguration.class, AotOtlpSpanExportAutoConfiguration.class},
    afterName = {
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.zipkin.ZipkinWithOpenTelemetryTracingAutoConfiguration"
    },
    beforeName =
        "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration")
@ConditionalOnClass({SpanContext.class, SpanExporter.class})
public final class ExemplarsAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(SpanExporter.class)
  static class UnexportedTracesConfiguration {

    @Bean
    @ConditionalOnMissingBean(SpanContext.class)
    UnexportedTracesSpanContext unexportedTracesSpanContext() {
      return new UnexportedTracesSpanContext();
    }
  }

  // 'none' leaves exemplars off and 'all' is refused by Boot's own configuration, which then runs.
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Tracer.class)
  @ConditionalOnBean({SpanExporter.class, SpanExportResults.class})
  @ConditionalOnProperty(
      name = "management.tracing.exemplars.include",
      havingValue = "sampled-traces",
      matchIfMissing = true)
  static class ExportedTracesConfiguration {

    @Bean
    @ConditionalOnMissingBean(SpanContext.class)
    ExportedTracesSpanContext exportedTracesSpanContext(
        ObjectProvider<Tracer> tracer, SpanExportResults results) {
      return new ExportedTracesSpanContext(SingletonSupplier.of(tracer::getIfAvailable), results);
    }
  }
}
