package io.github.obskit.logging;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Log levels that keep the access log the only line about a client's mistake, the {@code app} and
 * {@code env} fields of Boot's structured logging, and warnings when the application has no name or
 * does not log through logback.
 *
 * <p>Spring MVC logs every request for an unknown path ("No mapping for GET /x") and every
 * unsupported method at WARN on {@value #PAGE_NOT_FOUND_CATEGORY}; the access log records each of
 * them already, so a 404 flood would double the log volume. While the access log is on, that
 * category defaults to ERROR (it logs nothing at that level), unless the application sets the level
 * of the category or of a package above it.
 *
 * <p>{@code spring.application.name} becomes the {@code application} tag of every meter and the
 * {@code app} field of every log line, which the dashboards and alerts select services by: without
 * it a warning says so at startup.
 *
 * <p>The starter's JSON log lines are a logback configuration: an application logging through
 * Log4j2 (or anything but logback) keeps Boot's plain text, and a warning naming Boot's structured
 * logging says so at startup, unless the application chose a console format itself. So that Boot's
 * structured logging (with any logging system) gives the {@code app} and {@code env} fields of the
 * starter's lines, {@code logging.structured.json.add.app} defaults to {@code
 * ${spring.application.name}} and {@code logging.structured.json.add.env} to {@code
 * ${observability.metrics.env}}, each when its source is set and the application adds no such
 * member itself.
 */
public final class LoggingDefaultsEnvironmentPostProcessor
    implements EnvironmentPostProcessor, Ordered {

  /** Name of the property source holding the defaults. */
  public static final String PROPERTY_SOURCE_NAME = "obskitLoggingLevelDefaults";

  /** Spring MVC's category for requests no handler serves. */
  public static final String PAGE_NOT_FOUND_CATEGORY =
      "org.springframework.web.servlet.PageNotFound";

  /** Runs after the application's configuration files have been loaded. */
  public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

  private static final String STRUCTURED_ADD_PREFIX = "logging.structured.json.add.";

  private static final String LEVEL_PREFIX = "logging.level.";

  private static final String ACCESS_LOG_ENABLED = "observability.web.access-log.enabled";

  private final Log logger;

  /**
   * Creates the post-processor; Boot passes the factory of logs that are written once logging is
   * initialised.
   *
   * @param logFactory the factory of deferred logs
   */
  public LoggingDefaultsEnvironmentPostProcessor(DeferredLogFactory logFactory) {
    this.logger = logFactory.getLog(LoggingDefaultsEnvironmentPostProcessor.class);
  }

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
      return;
    }
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaultStructuredMember(environment, defaults, "app", "spring.application.name");
    defaultStructuredMember(environment, defaults, "env", "observability.metrics.env");
    if (!StringUtils.hasText(environment.getProperty("spring.application.name"))) {
      this.logger.warn(
          "spring.application.name is not set: meters get no 'application' tag and log lines no"
              + " 'app' field, so the obskit dashboards and alerts cannot tell this service from"
              + " others; set spring.application.name");
    }
    if (!JsonLoggingEnvironmentPostProcessor.usesLogback(application.getClassLoader())
        && !environment.containsProperty("logging.structured.format.console")
        && !"plain"
            .equalsIgnoreCase(
                environment
                    .getProperty(JsonLoggingEnvironmentPostProcessor.FORMAT_PROPERTY, "json")
                    .trim())) {
      this.logger.warn(
          "Logging does not go through logback, so observability-starter's JSON log lines are off"
              + " and this application logs plain text; for JSON lines with the same fields set"
              + " logging.structured.format.console=logstash (see the observability-starter"
              + " README, Log4j2)");
    }
    if (environment.getProperty(ACCESS_LOG_ENABLED, Boolean.class, true)
        && !setsLevelOfCategoryOrParent(environment)) {
      defaults.put(LEVEL_PREFIX + PAGE_NOT_FOUND_CATEGORY, "ERROR");
    }
    if (!defaults.isEmpty()) {
      environment
          .getPropertySources()
          .addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
    }
  }

  // The same source as the starter's logback lines. A placeholder, not the value: the value may
  // still change (a profile, a later source).
  private static void defaultStructuredMember(
      ConfigurableEnvironment environment,
      Map<String, Object> defaults,
      String member,
      String source) {
    String property = STRUCTURED_ADD_PREFIX + member;
    if (StringUtils.hasText(environment.getProperty(source))
        && !environment.containsProperty(property)) {
      defaults.put(property, "${" + source + "}");
    }
  }

  // A level set for org.springframework.web (say, DEBUG while investigating) must reach this
  // category too: a default for the category itself would override it. Read from every source, the
  // application's default properties included, which end up below this default.
  private static boolean setsLevelOfCategoryOrParent(ConfigurableEnvironment environment) {
    Map<String, String> levels =
        Binder.get(environment)
            .bind("logging.level", Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
    String category = PAGE_NOT_FOUND_CATEGORY.toLowerCase(Locale.ROOT);
    return levels.keySet().stream()
        .map((name) -> name.toLowerCase(Locale.ROOT))
        .anyMatch((name) -> category.equals(name) || category.startsWith(name + "."));
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
