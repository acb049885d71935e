package io.github.obskit.autoconfigure.web;

import net.logstash.logback.marker.LogstashMarker;
import tools.jackson.core.JsonGenerator;

/**
 * The fields of one access-log event, written by logstash-logback-encoder as top-level JSON
 * properties.
 *
 * <p>Writes each field with its JSON type straight to the generator: a map marker would box the
 * numbers and look up a serializer per value on the writer thread, once per request.
 */
final class AccessLogFields extends LogstashMarker {

  private static final String MARKER_NAME = MARKER_NAME_PREFIX + "ACCESS_LOG_FIELDS";

  private final String method;

  private final String path;

  private final String route;

  private final int status;

  private final long durationMs;

  private final String clientAddress;

  private final String userAgent;

  AccessLogFields(
      String method,
      String path,
      String route,
      int status,
      long durationMs,
      String clientAddress,
      String userAgent) {
    super(MARKER_NAME);
    this.method = method;
    this.path = path;
    this.route = route;
    this.status = status;
    this.durationMs = durationMs;
    this.clientAddress = clientAddress;
    this.userAgent = userAgent;
  }

  @Override
  public void writeTo(JsonGenerator generator) {
    generator.writeStringProperty("method", this.method);
    generator.writeStringProperty("path", this.path);
    generator.writeStringProperty("route", this.route);
    generator.writeNumberProperty("status", this.status);
    generator.writeNumberProperty("duration_ms", this.durationMs);
    generator.writeStringProperty("client_address", this.clientAddress);
    if (this.userAgent != null) {
      generator.writeStringProperty("user_agent", this.userAgent);
    }
  }

  @Override
  protected String toStringSelf() {
    return "method="
        + this.method
        + ", path="
        + this.path
        + ", route="
        + this.route
        + ", status="
        + this.status
        + ", duration_ms="
        + this.durationMs
        + ", client_address="
        + this.clientAddress
        + ((this.userAgent != null) ? ", user_agent=" + this.userAgent : "");
  }
}
