package io.github.obskit.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Request id and access log of servlet and reactive web applications. */
@ConfigurationProperties("observability.web")
public class ObservabilityWebProperties {

  private final RequestId requestId = new RequestId();

  private final AccessLog accessLog = new AccessLog();

  public RequestId getRequestId() {
    return this.requestId;
  }

  public AccessLog getAccessLog() {
    return this.accessLog;
  }

  /** Request id taken from a header or generated. */
  public static class RequestId {

    /** Whether to accept or generate a request id, put it in the MDC and echo it. */
    private boolean enabled = true;

    /** Header that carries the request id in requests and responses. */
    private String header = "X-Request-Id";

    public boolean isEnabled() {
      return this.enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getHeader() {
      return this.header;
    }

    public void setHeader(String header) {
      this.header = header;
    }
  }

  /** One log event per request on the logger 'obskit.access'. */
  public static class AccessLog {

    /** Whether to log one event per request. */
    private boolean enabled = true;

    /**
     * Request paths (Spring path patterns, relative to the context path) left out of the access log
     * though still counted in the request metrics, such as a hot path; the paths left out of the
     * request metrics are never logged.
     */
    private List<String> excludePaths = new ArrayList<>();

    public boolean isEnabled() {
      return this.enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public List<String> getExcludePaths() {
      return this.excludePaths;
    }

    public void setExcludePaths(List<String> excludePaths) {
      this.excludePaths = excludePaths;
    }
  }
}
