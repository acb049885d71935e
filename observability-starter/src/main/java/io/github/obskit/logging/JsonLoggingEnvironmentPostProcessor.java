package io.github.obskit.logging;

import io.github.obskit.env.ApplicationDefaultProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.LogFile;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Selects the starter's JSON logback configuration ({@value #DEFAULT_CONFIGURATION}) as the default
 * {@code logging.config}, and turns the startup banner off so that every line on stdout is JSON.
 *
 * <p>This runs before Boot initialises logging, which is why JSON logging is not an
 * auto-configuration. It stays out of the way when the application decides for itself: when it sets
 * {@code logging.config} or Boot's {@code logging.structured.format.console}, ships its own logback
 * configuration file, does not use logback, or sets {@code observability.logging.format=plain}.
 *
 * <p>When the application writes a log file ({@code logging.file.name} or {@code
 * logging.file.path}), the configuration adds Boot's own file appender, so the file is what it
 * would be without the starter: Boot's pattern, or {@code logging.structured.format.file}.
 */
public final class JsonLoggingEnvironmentPostProcessor
    implements EnvironmentPostProcessor, Ordered {

  /** Name of the property source holding the default. */
  public static final String PROPERTY_SOURCE_NAME = "obskitLoggingDefaults";

  /** The logback configuration used when the application has none. */
  public static final String DEFAULT_CONFIGURATION =
      "classpath:io/github/obskit/logging/logback-default.xml";

  /** {@link #DEFAULT_CONFIGURATION} with Boot's file appender. */
  public static final String FILE_CONFIGURATION =
      "classpath:io/github/obskit/logging/logback-default-file.xml";

  /** {@link #DEFAULT_CONFIGURATION} with Boot's structured file appender. */
  public static final String STRUCTURED_FILE_CONFIGURATION =
      "classpath:io/github/obskit/logging/logback-default-structured-file.xml";

  /** Property choosing between {@code json} (the default) and {@code plain}. */
  public static final String FORMAT_PROPERTY = "observability.logging.format";

  /** Runs after the application's configuration files have been loaded. */
  public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

  // The files Boot's LogbackLoggingSystem would pick up on its own, in its order.
  private static final List<String> APPLICATION_CONFIGURATIONS =
      List.of(
          "logback-test.groovy",
          "logback-test.xml",
          "logback.groovy",
          "logback.xml",
          "logback-test-spring.groovy",
          "logback-test-spring.xml",
          "logback-spring.groovy",
          "logback-spring.xml");

  private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

  private static final String LOGGING_SYSTEM_PROPERTY =
      "org.springframework.boot.logging.LoggingSystem";

  private static final String BANNER_MODE_PROPERTY = "spring.main.banner-mode";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!isJson(environment.getProperty(FORMAT_PROPERTY, "json"))
        || environment.containsProperty("logging.config")
        || environment.containsProperty("logging.structured.format.console")
        || environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
      return;
    }
    ClassLoader classLoader = application.getClassLoader();
    if (!usesLogback(classLoader) || hasApplicationConfiguration(classLoader)) {
      return;
    }
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("logging.config", configuration(environment));
    // SpringApplication moves its default properties source below ours once the post-processors
    // have run (and again before the refresh), so a banner mode the application gives there would
    // lose against ours. A logging.config given there has made this post-processor stand back.
    if (!ApplicationDefaultProperties.isSet(environment, BANNER_MODE_PROPERTY)) {
      // The banner is printed, not logged: it would be the one non-JSON line.
      defaults.put(BANNER_MODE_PROPERTY, "off");
    }
    environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
  }

  // Which appenders a logback file lists cannot depend on a property (logback's <if> needs janino),
  // so each file setting of Boot's has a configuration of its own. Boot's LogFile decides, as it
  // does for Boot's own configuration.
  private static String configuration(ConfigurableEnvironment environment) {
    if (LogFile.get(environment) == null) {
      return DEFAULT_CONFIGURATION;
    }
    return StringUtils.hasLength(environment.getProperty("logging.structured.format.file"))
        ? STRUCTURED_FILE_CONFIGURATION
        : FILE_CONFIGURATION;
  }

  private static boolean isJson(String format) {
    return switch (format.trim().toLowerCase(Locale.ROOT)) {
      case "json" -> true;
      case "plain" -> false;
      default ->
          throw new IllegalArgumentException(
              FORMAT_PROPERTY + " must be 'json' or 'plain' but was '" + format + "'");
    };
  }

  /**
   * Whether logging goes through logback: logback's classes are present and no other logging system
   * is forced with Boot's system property.
   *
   * @param classLoader the application's class loader
   * @return {@code true} for logback
   */
  static boolean usesLogback(ClassLoader classLoader) {
    String loggingSystem = System.getProperty(LOGGING_SYSTEM_PROPERTY);
    return ClassUtils.isPresent(LOGBACK_CONTEXT, classLoader)
        && (loggingSystem == null || loggingSystem.contains("Logback"));
  }

  private static boolean hasApplicationConfiguration(ClassLoader classLoader) {
    ClassLoader loader = (classLoader != null) ? classLoader : ClassUtils.getDefaultClassLoader();
    return APPLICATION_CONFIGURATIONS.stream().anyMatch((name) -> loader.getResource(name) != null);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
