package io.github.obskit.autoconfigure.tracing;

import io.github.obskit.autoconfigure.metrics.MetricsDefaultsEnvironmentPostProcessor;
import io.github.obskit.env.ApplicationDefaultProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Sets defaults for Boot's own tracing and Prometheus properties, in a property source below every
 * source the application configures (as {@link MetricsDefaultsEnvironmentPostProcessor} does).
 *
 * <p>Export needs no default: Boot exports spans once {@code
 * management.opentelemetry.tracing.export.otlp.endpoint} is set, which it also maps from {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}.
 */
public final class TracingDefaultsEnvironmentPostProcessor
    implements EnvironmentPostProcessor, Ordered {

  /** Name of the property source holding the defaults. */
  public static final String PROPERTY_SOURCE_NAME = "obskitTracingDefaults";

  /** Runs with the metrics defaults, after the application's configuration files. */
  public static final int ORDER = MetricsDefaultsEnvironmentPostProcessor.ORDER;

  /**
   * Boot's property that keeps exemplars off {@code _count} samples: Micrometer puts them there,
   * and Prometheus before 2.43 then rejects the whole OpenMetrics scrape and marks the target down
   * ("..._count does not support exemplars"). The buckets keep theirs.
   */
  static final String EXEMPLARS_ON_ALL_METRIC_TYPES =
      "management.prometheus.metrics.export.properties"
          + "[io.prometheus.exporter.exemplarsOnAllMetricTypes]";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
      return;
    }
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put(EXEMPLARS_ON_ALL_METRIC_TYPES, "false");
    if (!environment.getProperty("observability.tracing.enabled", Boolean.class, true)) {
      defaults.put("management.tracing.export.enabled", "false");
    }
    defaults.keySet().removeIf((name) -> ApplicationDefaultProperties.isSet(environment, name));
    environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
