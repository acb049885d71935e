package io.github.obskit.env;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start on a Spring Boot older than {@value #OLDEST_SUPPORTED}, before anything else of
 * the starter runs.
 *
 * <p>Boot 4.0 starts with the starter and serves metrics and JSON logs, but it has no mapping of
 * the {@code OTEL_*} environment variables: {@code OTEL_EXPORTER_OTLP_ENDPOINT}, the way the README
 * switches span export on, would be ignored without a word. A failed startup that says so (see
 * {@link UnsupportedSpringBootVersionFailureAnalyzer}) is better than traces that never arrive.
 */
public final class SpringBootVersionCheck implements EnvironmentPostProcessor, Ordered {

  /** The oldest Spring Boot minor the starter supports. */
  public static final String OLDEST_SUPPORTED = "4.1";

  private final String bootVersion;

  /** Checks the Spring Boot on the classpath. */
  public SpringBootVersionCheck() {
    this(SpringBootVersion.getVersion());
  }

  SpringBootVersionCheck(String bootVersion) {
    this.bootVersion = bootVersion;
  }

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!isSupported(this.bootVersion)) {
      throw new UnsupportedSpringBootVersionException(this.bootVersion, OLDEST_SUPPORTED);
    }
  }

  /**
   * Whether a Spring Boot version is one the starter supports; an unknown version (Boot's classes
   * outside a jar, as in some IDEs) or one that does not start with {@code major.minor} passes.
   *
   * @param version the version, e.g. {@code 4.1.2} or {@code 4.0.0-RC1}
   * @return {@code false} only for a version older than {@value #OLDEST_SUPPORTED}
   */
  static boolean isSupported(String version) {
    if (version == null) {
      return true;
    }
    String[] parts = version.split("[.-]", 3);
    if (parts.length < 2 || !parts[0].matches("\\d{1,4}") || !parts[1].matches("\\d{1,4}")) {
      return true;
    }
    String[] oldest = OLDEST_SUPPORTED.split("\\.");
    int major = Integer.parseInt(parts[0]);
    int oldestMajor = Integer.parseInt(oldest[0]);
    return major > oldestMajor
        || (major == oldestMajor && Integer.parseInt(parts[1]) >= Integer.parseInt(oldest[1]));
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
