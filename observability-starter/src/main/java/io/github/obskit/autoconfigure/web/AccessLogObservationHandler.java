package io.github.obskit.autoconfigure.web;

import io.github.obskit.logging.HeaderText;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.util.ClassUtils;

/**
 * Logs one event per server request on the logger {@value #LOGGER_NAME} when the request's {@code
 * http.server.requests} observation stops, with the message {@code GET /orders/42 200 12 ms} and
 * the fields {@code method, path, route, status, duration_ms, client_address, user_agent} ({@code
 * path} capped at {@value #MAX_PATH_LENGTH} characters, {@code user_agent} by {@link HeaderText}),
 * plus {@code request_id}, {@code traceId} and {@code spanId} in the MDC.
 *
 * <p>{@code route} and {@code status} are the observation's {@code uri} and {@code status} key
 * values, so the log and the request metrics always agree, also for requests that a security filter
 * rejects before any handler; the duration is measured from the observation's start to its stop.
 * Requests whose observation an {@code ObservationPredicate} drops (the starter's excluded paths)
 * are neither counted nor logged. The trace and span ids are read from Micrometer Tracing's context
 * of the same observation, so the line carries them on whichever thread the observation stops.
 *
 * <p>Never logs the query string, headers other than {@code User-Agent}, cookies or bodies: they
 * carry credentials and personal data.
 */
public class AccessLogObservationHandler implements ObservationHandler<Observation.Context> {

  /** Name of the logger the access log is written to. */
  public static final String LOGGER_NAME = "obskit.access";

  /**
   * The most characters of the request's path logged (in the field and the message); a longer path
   * is cut and ends in {@value HeaderText#CUT_MARK}, so that a client cannot make a line as long as
   * its request line, and an access-log line stays well under 4 KiB.
   */
  public static final int MAX_PATH_LENGTH = 1024;

  private static final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);

  private static final String START = AccessLogObservationHandler.class.getName() + ".start";

  private static final boolean TRACING_PRESENT =
      ClassUtils.isPresent(
          "io.micrometer.tracing.handler.TracingObservationHandler",
          AccessLogObservationHandler.class.getClassLoader());

  private static final String[] MDC_KEYS = {RequestIds.MDC_KEY, "traceId", "spanId"};

  private final ServerRequestReader requests;

  private final RequestPathMatcher excludedPaths;

  /**
   * Creates a handler that logs the server requests of one web stack, except those matching the
   * given paths.
   *
   * @param requests reads the requests of the web stack
   * @param excludedPaths the paths not to log, though their requests are still observed
   */
  public AccessLogObservationHandler(
      ServerRequestReader requests, RequestPathMatcher excludedPaths) {
    this.requests = requests;
    this.excludedPaths = excludedPaths;
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return this.requests.isServerRequest(context);
  }

  @Override
  public void onStart(Observation.Context context) {
    if (logger.isInfoEnabled()
        && !this.excludedPaths.matches(this.requests.pathWithinApplication(context))) {
      context.put(START, System.nanoTime());
    }
  }

  @Override
  public void onStop(Observation.Context context) {
    Long start = context.get(START);
    if (start == null) {
      return;
    }
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String method = this.requests.method(context);
    String path = HeaderText.cap(this.requests.path(context), MAX_PATH_LENGTH);
    String status = keyValue(context, "status");
    // Key-value pairs, not a logstash marker: every structured encoder writes them as fields
    // (logstash-logback-encoder, Boot's structured logging, logback's JsonEncoder, %kvp).
    LoggingEventBuilder event =
        logger
            .atInfo()
            .addKeyValue("method", method)
            .addKeyValue("path", path)
            .addKeyValue("route", keyValue(context, "uri"));
    Integer statusCode = statusCode(status);
    if (statusCode != null) {
      event = event.addKeyValue("status", statusCode);
    }
    event = event.addKeyValue("duration_ms", durationMs);
    String clientAddress = this.requests.clientAddress(context);
    if (clientAddress != null) {
      event = event.addKeyValue("client_address", clientAddress);
    }
    String userAgent = this.requests.userAgent(context);
    if (userAgent != null) {
      event = event.addKeyValue("user_agent", HeaderText.forLog(userAgent));
    }
    // The observation stops after the request's filters have restored the MDC, and for an
    // asynchronous or reactive request on another thread: the ids come from the request.
    String[] ids = {this.requests.requestId(context), null, null};
    if (TRACING_PRESENT) {
      TraceIds.read(context, ids);
    }
    String[] previous = putMdc(ids);
    try {
      // Built here rather than as "{} {} {} {} ms": the line is always written, and a
      // parameterized message costs an argument list copy and a format scan per request.
      event.log(method + " " + path + " " + status + " " + durationMs + " ms");
    } finally {
      restoreMdc(ids, previous);
    }
  }

  // The field keeps one JSON type, a number: the metric's UNKNOWN (the client went away first, or
  // no response) leaves it out, and the message still says UNKNOWN.
  private static Integer statusCode(String status) {
    try {
      return Integer.valueOf(status);
    } catch (NumberFormatException ex) {
      return null;
    }
  }

  private static String keyValue(Observation.Context context, String key) {
    KeyValue value = context.getLowCardinalityKeyValue(key);
    return (value != null) ? value.getValue() : "UNKNOWN";
  }

  /** Puts the ids the MDC does not hold yet; returns what it held, for {@link #restoreMdc}. */
  private static String[] putMdc(String[] ids) {
    String[] previous = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == null) {
        continue;
      }
      previous[i] = MDC.get(MDC_KEYS[i]);
      if (ids[i].equals(previous[i])) {
        ids[i] = null;
      } else {
        MDC.put(MDC_KEYS[i], ids[i]);
      }
    }
    return previous;
  }

  private static void restoreMdc(String[] ids, String[] previous) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == null) {
        continue;
      }
      if (previous[i] != null) {
        MDC.put(MDC_KEYS[i], previous[i]);
      } else {
        MDC.remove(MDC_KEYS[i]);
      }
    }
  }

  /** Micrometer Tracing is optional: its types stay in here. */
  private static final class TraceIds {

    static void read(Observation.Context context, String[] ids) {
      TracingObservationHandler.TracingContext tracing =
          context.get(TracingObservationHandler.TracingContext.class);
      if (tracing == null || tracing.getSpan() == null) {
        return;
      }
      TraceContext trace = tracing.getSpan().context();
      // A no-op tracer's ids are empty: no field rather than an empty one.
      if (!trace.traceId().isEmpty()) {
        ids[1] = trace.traceId();
        ids[2] = trace.spanId();
      }
    }
  }
}
