package io.github.obskit.autoconfigure.tracing;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.tracing.autoconfigure.ConditionalOnEnabledTracingExport;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpGrpcSpanExporterBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpHttpSpanExporterBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingConnectionDetails;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.Environment;

/**
 * Lets an application that {@code spring-boot:process-aot} processed without an OTLP endpoint
 * export spans to the endpoint given when it starts.
 *
 * <p>AOT evaluates Boot's conditions once, at build time, and Boot creates its OTLP span exporter
 * only when {@value RunTimeOtlpSpanExporterFactory#ENDPOINT} is set: processed without it, the
 * generated code has no exporter, and {@code OTEL_EXPORTER_OTLP_ENDPOINT} at run time would export
 * no span and give no exemplar. So while AOT processing runs ({@link
 * AbstractAotProcessor#AOT_PROCESSING}) and Boot has no exporter, this configuration contributes
 * one whose instance is decided when the application starts: the exporter Boot would build for the
 * endpoint then set, or none (a null bean, which no exporter list includes) when no endpoint is set
 * or export is switched off. Applications not processed by AOT never get it, as Boot's conditions
 * are evaluated when they start.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration")
@ConditionalOnClass({
  OtlpHttpSpanExporter.class,
  OtlpGrpcSpanExporter.class,
  OtlpTracingProperties.class,
  AbstractAotProcessor.class
})
@ConditionalOnBooleanProperty(AbstractAotProcessor.AOT_PROCESSING)
@ConditionalOnBean(OtlpTracingProperties.class)
@ConditionalOnMissingBean({
  OtlpTracingConnectionDetails.class,
  OtlpHttpSpanExporter.class,
  OtlpGrpcSpanExporter.class
})
@ConditionalOnEnabledTracingExport("otlp")
public final class AotOtlpSpanExportAutoConfiguration {

  @Bean
  SpanExporter runTimeOtlpSpanExporter(
      Environment environment,
      OtlpTracingProperties properties,
      ObjectProvider<SslBundles> sslBundles,
      ObjectProvider<MeterProvider> meterProvider,
      ObjectProvider<OtlpHttpSpanExporterBuilderCustomizer> httpCustomizers,
      ObjectProvider<OtlpGrpcSpanExporterBuilderCustomizer> grpcCustomizers) {
    return new RunTimeOtlpSpanExporterFactory(properties, sslBundles, meterProvider)
        .create(environment, httpCustomizers, grpcCustomizers);
  }
}
