package io.github.obskit.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Request-metric defaults applied by the starter.
 *
 * <p>The values end up as defaults of Boot's own {@code management.metrics.*} properties (see
 * {@link MetricsDefaultsEnvironmentPostProcessor}); binding them here validates them at startup and
 * documents them in the configuration metadata.
 */
@ConfigurationProperties("observability.metrics")
public class ObservabilityMetricsProperties {

  /** Whether to apply the request-metric defaults, common tags and scrape exclusions. */
  private boolean enabled = true;

  /** Deployment environment added as the common tag 'env' and the log field 'env'. */
  private String env;

  /**
   * Histogram buckets of the 'http.server.requests' timer; the latency thresholds of
   * 'observability.slo' are added to them.
   */
  private List<Duration> sloBuckets = defaultSloBuckets();

  /**
   * Whether to leave the paths served for observability out of the request metrics, wherever they
   * are configured: Actuator's base path when Actuator shares the server port, the health groups'
   * additional paths on the server port (/livez, /readyz), the Prometheus scrape path and the
   * Passenger metrics path when they are served.
   */
  private boolean excludeObservabilityPaths = true;

  /**
   * Request paths (Spring path patterns, relative to the context path) left out of the request
   * metrics in addition to the paths served for observability, such as a load balancer's health
   * check.
   */
  private List<String> excludePaths = new ArrayList<>();

  static List<Duration> defaultSloBuckets() {
    return new ArrayList<>(
        List.of(
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(2500),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10)));
  }

  public boolean isEnabled() {
    return this.enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getEnv() {
    return this.env;
  }

  public void setEnv(String env) {
    this.env = env;
  }

  public List<Duration> getSloBuckets() {
    return this.sloBuckets;
  }

  public void setSloBuckets(List<Duration> sloBuckets) {
    this.sloBuckets = sloBuckets;
  }

  public boolean isExcludeObservabilityPaths() {
    return this.excludeObservabilityPaths;
  }

  public void setExcludeObservabilityPaths(boolean excludeObservabilityPaths) {
    this.excludeObservabilityPaths = excludeObservabilityPaths;
  }

  public List<String> getExcludePaths() {
    return this.excludePaths;
  }

  public void setExcludePaths(List<String> excludePaths) {
    this.excludePaths = excludePaths;
  }
}
