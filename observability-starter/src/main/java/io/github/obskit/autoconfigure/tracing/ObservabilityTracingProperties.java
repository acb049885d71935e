package io.github.obskit.autoconfigure.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tracing settings of the starter. Sampling, export and exemplar selection are Boot's own {@code
 * management.tracing.*} and {@code management.opentelemetry.tracing.*} properties.
 */
@ConfigurationProperties("observability.tracing")
public class ObservabilityTracingProperties {

  /**
   * Whether to trace requests. When false, spans are neither exported nor propagated (a default of
   * 'management.tracing.export.enabled') and no trace id header is written.
   */
  private boolean enabled = true;

  /** Response header carrying the trace id of the request; empty to leave it out. */
  private String traceIdHeader = "X-Trace-Id";

  public boolean isEnabled() {
    return this.enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getTraceIdHeader() {
    return this.traceIdHeader;
  }

  public void setTraceIdHeader(String traceIdHeader) {
    this.traceIdHeader = traceIdHeader;
  }
}
