package io.github.obskit.autoconfigure.tracing;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.tracer.common.SpanContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Keeps exemplars off the Prometheus scrape while no span is exported (no OTLP endpoint set, export
 * switched off, or tracing off), so that an exemplar always links to a trace a backend received.
 * Once a {@link SpanExporter} exists, Boot's {@code PrometheusExemplarsAutoConfiguration} adds the
 * sampled traces' ids to the histogram buckets ({@code management.tracing.exemplars.include}).
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.zipkin.ZipkinWithOpenTelemetryTracingAutoConfiguration"
    },
    beforeName =
        "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration")
@ConditionalOnClass({SpanContext.class, SpanExporter.class})
@ConditionalOnMissingBean(SpanExporter.class)
public final class ExemplarsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(SpanContext.class)
  UnexportedTracesSpanContext unexportedTracesSpanContext() {
    return new UnexportedTracesSpanContext();
  }
}
