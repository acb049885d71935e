package io.github.obskit.autoconfigure.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The Prometheus scrape served outside Actuator's base path. */
@ConfigurationProperties("observability.prometheus")
public class ObservabilityPrometheusProperties {

  /**
   * Whether to serve the Prometheus scrape on its own path as well. With Actuator on a port of its
   * own (management.server.port), the path is served only when this is set explicitly.
   */
  private boolean enabled = true;

  /** Path that serves the same scrape as '/actuator/prometheus'; empty turns it off. */
  private String path = "/metrics";

  public boolean isEnabled() {
    return this.enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getPath() {
    return this.path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
