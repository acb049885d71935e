package io.github.obskit.autoconfigure.tracing;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpGrpcSpanExporterBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpHttpSpanExporterBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.Transport;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Builds, when the application starts, the OTLP span exporter Boot would have built had the
 * endpoint been known when its conditions were evaluated: the same transport, endpoint, timeouts,
 * compression, headers, SSL bundle, meter provider and builder customizers, all read from Boot's
 * {@link OtlpTracingProperties} bound at run time.
 */
final class RunTimeOtlpSpanExporterFactory {

  /** Boot's property for the OTLP traces endpoint, mapped from {@code OTEL_EXPORTER_OTLP_*}. */
  static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

  private final OtlpTracingProperties properties;

  private final ObjectProvider<SslBundles> sslBundles;

  private final ObjectProvider<MeterProvider> meterProvider;

  RunTimeOtlpSpanExporterFactory(
      OtlpTracingProperties properties,
      ObjectProvider<SslBundles> sslBundles,
      ObjectProvider<MeterProvider> meterProvider) {
    this.properties = properties;
    this.sslBundles = sslBundles;
    this.meterProvider = meterProvider;
  }

  /**
   * The exporter for the endpoint set when the application starts, or {@code null} when none is set
   * or export is switched off, as Boot's own conditions would decide.
   */
  SpanExporter create(
      Environment environment,
      ObjectProvider<OtlpHttpSpanExporterBuilderCustomizer> httpCustomizers,
      ObjectProvider<OtlpGrpcSpanExporterBuilderCustomizer> grpcCustomizers) {
    String endpoint = this.properties.getEndpoint();
    if (!StringUtils.hasText(endpoint) || !exportEnabled(environment)) {
      return null;
    }
    return (this.properties.getTransport() == Transport.GRPC)
        ? grpc(endpoint, grpcCustomizers)
        : http(endpoint, httpCustomizers);
  }

  // Boot's @ConditionalOnEnabledTracingExport("otlp"): the exporter's own switch, else the
  // switch of all exporters, else on.
  private static boolean exportEnabled(Environment environment) {
    Boolean otlp = environment.getProperty("management.tracing.export.otlp.enabled", Boolean.class);
    return (otlp != null)
        ? otlp
        : environment.getProperty("management.tracing.export.enabled", Boolean.class, true);
  }

  private OtlpHttpSpanExporter http(
      String endpoint, ObjectProvider<OtlpHttpSpanExporterBuilderCustomizer> customizers) {
    OtlpHttpSpanExporterBuilder builder =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(endpoint)
            .setTimeout(this.properties.getTimeout())
            .setConnectTimeout(this.properties.getConnectTimeout())
            .setCompression(compression());
    this.properties.getHeaders().forEach(builder::addHeader);
    this.meterProvider.ifAvailable(builder::setMeterProvider);
    configureSsl(builder::setSslContext);
    customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
    return builder.build();
  }

  private OtlpGrpcSpanExporter grpc(
      String endpoint, ObjectProvider<OtlpGrpcSpanExporterBuilderCustomizer> customizers) {
    OtlpGrpcSpanExporterBuilder builder =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(endpoint)
            .setTimeout(this.properties.getTimeout())
            .setConnectTimeout(this.properties.getConnectTimeout())
            .setCompression(compression());
    this.properties.getHeaders().forEach(builder::addHeader);
    this.meterProvider.ifAvailable(builder::setMeterProvider);
    configureSsl(builder::setSslContext);
    customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
    return builder.build();
  }

  private String compression() {
    return this.properties.getCompression().name().toLowerCase(Locale.ROOT);
  }

  private void configureSsl(BiConsumer<SSLContext, X509TrustManager> sslContext) {
    String bundleName = this.properties.getSsl().getBundle();
    if (!StringUtils.hasText(bundleName)) {
      return;
    }
    SslBundle bundle = this.sslBundles.getObject().getBundle(bundleName);
    X509TrustManager trustManager =
        Arrays.stream(bundle.getManagers().getTrustManagers())
            .filter(X509TrustManager.class::isInstance)
            .map(X509TrustManager.class::cast)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "SSL bundle '"
                            + bundleName
                            + "' of "
                            + ENDPOINT
                            + " has no X509 trust manager"));
    sslContext.accept(bundle.createSslContext(), trustManager);
  }
}
