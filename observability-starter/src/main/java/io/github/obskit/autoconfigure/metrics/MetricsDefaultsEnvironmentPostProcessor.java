package io.github.obskit.autoconfigure.metrics;

import io.github.obskit.autoconfigure.slo.ObservabilitySloProperties;
import io.github.obskit.env.ApplicationDefaultProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Sets defaults for Boot's own Actuator, health, metrics, compression and Reactor properties, so
 * that an application gets a Prometheus endpoint and dashboard-ready request metrics without
 * configuration.
 *
 * <p>The defaults live in a property source below every source the application configures, so
 * anything it configures wins. Only its default properties ({@link
 * SpringApplication#setDefaultProperties}) end up below the defaults, which therefore leave out
 * whatever those set. They are placeholders where they derive from other properties, so profiles
 * and later overrides of those properties still apply; the SLO buckets are the exception, bound
 * once here, after the configuration files and profiles have been loaded.
 */
public final class MetricsDefaultsEnvironmentPostProcessor
    implements EnvironmentPostProcessor, Ordered {

  /** Name of the property source holding the defaults. */
  public static final String PROPERTY_SOURCE_NAME = "obskitMetricsDefaults";

  /** Runs after the application's configuration files have been loaded. */
  public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

  private static final String SERVER_REQUESTS = "http.server.requests";

  private static final String SLO_PROPERTY_PREFIX = "management.metrics.distribution.slo";

  private static final String SERVER_REQUESTS_NAME_PROPERTY =
      "management.observations.http.server.requests.name";

  private static final String SLO_BUCKETS_PROPERTY = "observability.metrics.slo-buckets";

  private static final String SLO_ENABLED_PROPERTY = "observability.slo.enabled";

  private static final String SLO_THRESHOLD_PROPERTY = "observability.slo.latency.threshold";

  private static final String SLO_ROUTES_PROPERTY = "observability.slo.latency.routes";

  private static final String COMPRESSION_ENABLED_PROPERTY = "server.compression.enabled";

  static final String SCRAPE_MIME_TYPES =
      "application/openmetrics-text,application/openmetrics-text;version=1.0.0,"
          + "text/plain;version=0.0.4";

  private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

  private static final String LOG_PIPELINE_HEALTH_ENABLED_PROPERTY =
      "management.health.logpipeline.enabled";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
      return;
    }
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
    // Prometheus sends Accept-Encoding: gzip; a scrape is text and compresses about tenfold. Only
    // the scrape's types: Boot's own list (JSON, JavaScript, HTML...) would compress the whole
    // application. One that switches compression on itself keeps Boot's list.
    if (!environment.containsProperty(COMPRESSION_ENABLED_PROPERTY)) {
      defaults.put(COMPRESSION_ENABLED_PROPERTY, "true");
      defaults.put("server.compression.mime-types", "text/plain");
    }
    // OpenMetrics, the format Prometheus asks for first, is in no list of Boot's: added to
    // whichever list applies, the one above or the application's. Jetty compares the whole type
    // but its charset, so the scrape's types are also listed with their version parameter.
    defaults.put("server.compression.additional-mime-types", SCRAPE_MIME_TYPES);
    // Reactor restores the request id (and Micrometer Tracing's ids) in the MDC wherever a reactive
    // request's operators run: every log line of the request carries them.
    defaults.put("spring.reactor.context-propagation", "auto");
    // Boot's task executor (and so @Async methods) restores them on its threads too: off in Boot,
    // a log line written in an @Async method would otherwise have no request id and no trace id.
    defaults.put("spring.task.execution.propagate-context", "true");
    // Readiness goes DOWN while nobody reads stdout (LogPipelineHealthIndicator): traffic moves to
    // instances whose logs are not being dropped. Boot's probe group has readinessState alone.
    if (environment.getProperty("management.endpoint.health.probes.enabled", Boolean.class, true)
        && hasLogPipelineHealthIndicator(environment, application.getClassLoader())) {
      defaults.put(
          "management.endpoint.health.group.readiness.include", "readinessState,logPipeline");
    }
    if (environment.getProperty("observability.metrics.enabled", Boolean.class, true)) {
      addMetricsDefaults(environment, defaults);
    }
    defaults.keySet().removeIf((name) -> ApplicationDefaultProperties.isSet(environment, name));
    environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
  }

  // The conditions of LogPipelineAutoConfiguration's indicator: Boot fails the startup when a group
  // names a contributor that does not exist (an application logging with Log4j2 or JUL, say).
  private static boolean hasLogPipelineHealthIndicator(
      ConfigurableEnvironment environment, ClassLoader classLoader) {
    if (!ClassUtils.isPresent(LOGBACK_CONTEXT, classLoader)) {
      return false;
    }
    Boolean enabled = environment.getProperty(LOG_PIPELINE_HEALTH_ENABLED_PROPERTY, Boolean.class);
    return (enabled != null)
        ? enabled
        : environment.getProperty("management.health.defaults.enabled", Boolean.class, true);
  }

  private void addMetricsDefaults(
      ConfigurableEnvironment environment, Map<String, Object> defaults) {
    // Tags on every meter (not only on observations): the JVM dashboards filter on application too.
    if (environment.containsProperty("spring.application.name")) {
      defaults.put("management.metrics.tags.application", "${spring.application.name}");
    }
    if (environment.containsProperty("observability.metrics.env")) {
      defaults.put("management.metrics.tags.env", "${observability.metrics.env}");
    }
    // Keyed on the metric's name as the application may have renamed it.
    String serverRequests = environment.getProperty(SERVER_REQUESTS_NAME_PROPERTY, SERVER_REQUESTS);
    defaults.put(sloProperty(serverRequests), sloBuckets(environment));
    // Distribution settings apply by name prefix; in-flight requests need no buckets.
    defaults.put(sloProperty(serverRequests + ".active"), "");
    // Boot's default, pinned: unmatched paths must never add uri series beyond this cap.
    defaults.put("management.metrics.web.server.max-uri-tags", "100");
  }

  // A meter name is a map key: dotted when it is a valid property name, as users write it, else in
  // brackets, which keep capitals and underscores that binding would otherwise drop.
  private static String sloProperty(String meterName) {
    String dotted = SLO_PROPERTY_PREFIX + "." + meterName;
    return ConfigurationPropertyName.isValid(dotted)
        ? dotted
        : SLO_PROPERTY_PREFIX + "[" + meterName + "]";
  }

  // Bound rather than passed on as a placeholder: a placeholder reads only a comma-separated value
  // and would miss a list written in YAML or as slo-buckets[0], slo-buckets[1]. A value that is no
  // duration fails the startup here, naming the property. The SLO's latency thresholds join the
  // buckets: the rules count the requests within a threshold from its bucket.
  private static String sloBuckets(ConfigurableEnvironment environment) {
    Binder binder = Binder.get(environment);
    List<Duration> buckets =
        new ArrayList<>(
            binder
                .bind(SLO_BUCKETS_PROPERTY, Bindable.listOf(Duration.class))
                .orElseGet(ObservabilityMetricsProperties::defaultSloBuckets));
    if (environment.getProperty(SLO_ENABLED_PROPERTY, Boolean.class, true)) {
      buckets.add(
          binder
              .bind(SLO_THRESHOLD_PROPERTY, Duration.class)
              .orElse(ObservabilitySloProperties.DEFAULT_LATENCY_THRESHOLD));
      binder
          .bind(SLO_ROUTES_PROPERTY, Bindable.listOf(ObservabilitySloProperties.Route.class))
          .orElseGet(List::of)
          .stream()
          .map(ObservabilitySloProperties.Route::getThreshold)
          .filter(Objects::nonNull)
          .forEach(buckets::add);
    }
    return buckets.stream()
        .filter((bucket) -> !bucket.isNegative() && !bucket.isZero())
        .distinct()
        .map(MetricsDefaultsEnvironmentPostProcessor::format)
        .collect(Collectors.joining(","));
  }

  // In Boot's duration syntax and the largest unit that holds the bucket exactly, as the defaults
  // are written (1s, 2500ms).
  private static String format(Duration bucket) {
    long nanos = bucket.toNanos();
    if (nanos % 1_000_000_000 == 0) {
      return nanos / 1_000_000_000 + "s";
    }
    if (nanos % 1_000_000 == 0) {
      return nanos / 1_000_000 + "ms";
    }
    if (nanos % 1_000 == 0) {
      return nanos / 1_000 + "us";
    }
    return nanos + "ns";
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
