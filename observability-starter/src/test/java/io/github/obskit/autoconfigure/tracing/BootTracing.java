package io.github.obskit.autoconfigure.tracing;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;

/** Boot's own tracing auto-configurations, which the starter's span export and exemplars join. */
final class BootTracing {

  /** Observation, the OpenTelemetry SDK and tracer, Boot's OTLP exporter and Micrometer Tracing. */
  static final AutoConfigurations AUTO_CONFIGURATIONS =
      AutoConfigurations.of(
          ObservationAutoConfiguration.class,
          OpenTelemetrySdkAutoConfiguration.class,
          OpenTelemetryTracingAutoConfiguration.class,
          OtlpTracingAutoConfiguration.class,
          MicrometerTracingAutoConfiguration.class);

  private BootTracing() {}
}
