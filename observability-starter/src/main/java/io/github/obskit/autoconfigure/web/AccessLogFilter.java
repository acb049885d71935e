package io.github.obskit.autoconfigure.web;

import io.github.obskit.logging.HeaderText;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;
import org.springframework.web.util.UrlPathHelper;

/**
 * Logs one event per request on the logger {@value #LOGGER_NAME}, with the message {@code GET
 * /orders/42 200 12 ms} and the fields {@code method, path, route, status, duration_ms,
 * client_address, user_agent} (plus {@code request_id} from the MDC).
 *
 * <p>Never logs the query string, headers other than {@code User-Agent}, cookies or bodies: they
 * carry credentials and personal data.
 */
public class AccessLogFilter extends OncePerRequestFilter {

  /** Name of the logger the access log is written to. */
  public static final String LOGGER_NAME = "obskit.access";

  /** Value of {@code route} for a handler mapped to the empty pattern, as Spring's convention. */
  public static final String ROOT_ROUTE = "root";

  /**
   * Value of {@code route} for a 404 that no handler pattern explains: no handler matched, or the
   * static-resource handler found nothing. As the {@code uri} tag of the request metrics.
   */
  public static final String NOT_FOUND_ROUTE = "NOT_FOUND";

  /**
   * Value of {@code route} for a redirect before any handler matched (a security filter's, say), as
   * the {@code uri} tag of Boot's request metrics.
   */
  public static final String REDIRECTION_ROUTE = "REDIRECTION";

  /**
   * Value of {@code route} for any other request no handler matched, as the {@code uri} tag of
   * Boot's request metrics.
   */
  public static final String UNKNOWN_ROUTE = "UNKNOWN";

  private static final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);

  private final RequestPathMatcher excludedPaths;

  /**
   * Creates a filter that logs every request except those matching the given paths.
   *
   * @param excludedPaths the paths not to log
   */
  public AccessLogFilter(RequestPathMatcher excludedPaths) {
    this.excludedPaths = excludedPaths;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !logger.isInfoEnabled() || this.excludedPaths.matches(request);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain filterChain)
      throws ServletException, IOException {
    long start = System.nanoTime();
    boolean failed = false;
    try {
      filterChain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error ex) {
      failed = true;
      throw ex;
    } finally {
      if (!failed && request.isAsyncStarted()) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        request
            .getAsyncContext()
            .addListener(
                new CompletionListener(request, response, start, (mdc != null) ? mdc : Map.of()));
      } else {
        // An exception leaving the chain becomes a 500 from the container's error handling, unless
        // the response was already committed (a client gone mid-body): then its status stands.
        log(
            request,
            (failed && !response.isCommitted())
                ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR
                : response.getStatus(),
            start);
      }
    }
  }

  private static void log(HttpServletRequest request, int status, long start) {
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String method = request.getMethod();
    // Path parameters can carry a session id (;jsessionid=...): they are no part of the path
    // logged.
    String path = UrlPathHelper.defaultInstance.removeSemicolonContent(request.getRequestURI());
    // Key-value pairs, not a logstash marker: every structured encoder writes them as fields
    // (logstash-logback-encoder, Boot's structured logging, logback's JsonEncoder, %kvp).
    LoggingEventBuilder event =
        logger
            .atInfo()
            .addKeyValue("method", method)
            .addKeyValue("path", path)
            .addKeyValue("route", route(request, status))
            .addKeyValue("status", status)
            .addKeyValue("duration_ms", durationMs)
            .addKeyValue("client_address", request.getRemoteAddr());
    String userAgent = request.getHeader(HttpHeaders.USER_AGENT);
    if (userAgent != null) {
      event = event.addKeyValue("user_agent", HeaderText.forLog(userAgent));
    }
    // Built here rather than as "{} {} {} {} ms": the line is always written, and a parameterized
    // message costs an argument list copy and a format scan per request.
    event.log(method + " " + path + " " + status + " " + durationMs + " ms");
  }

  /** The route as the request metrics name it in their {@code uri} tag. */
  private static String route(HttpServletRequest request, int status) {
    Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    // Unknown paths fall through to the resource handler's "/**": that pattern names no route.
    boolean resourceNotFound =
        status == HttpServletResponse.SC_NOT_FOUND
            && request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE)
                instanceof ResourceHttpRequestHandler;
    if (pattern != null && !resourceNotFound) {
      String route = pattern.toString();
      return route.isEmpty() ? ROOT_ROUTE : route;
    }
    if (status == HttpServletResponse.SC_NOT_FOUND) {
      return NOT_FOUND_ROUTE;
    }
    return (status >= 300 && status < 400) ? REDIRECTION_ROUTE : UNKNOWN_ROUTE;
  }

  /**
   * Logs an asynchronous request once it has completed, with the MDC it went asynchronous with
   * ({@code request_id}, {@code traceId}, {@code spanId}): the completing thread has none of it.
   */
  private static final class CompletionListener implements AsyncListener {

    private final HttpServletRequest request;

    private final HttpServletResponse response;

    private final long start;

    private final Map<String, String> requestMdc;

    private CompletionListener(
        HttpServletRequest request,
        HttpServletResponse response,
        long start,
        Map<String, String> requestMdc) {
      this.request = request;
      this.response = response;
      this.start = start;
      this.requestMdc = requestMdc;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      Map<String, String> threadMdc = MDC.getCopyOfContextMap();
      MDC.setContextMap(this.requestMdc);
      try {
        log(this.request, this.response.getStatus(), this.start);
      } finally {
        MDC.setContextMap((threadMdc != null) ? threadMdc : Map.of());
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
