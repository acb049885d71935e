package io.github.obskit.autoconfigure.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Writes the trace id of the request's span to a response header, before the application writes the
 * response, so that a caller can look the request up in the trace backend and in the logs. Runs
 * inside Boot's observation filter, which starts the span.
 */
public class TraceIdResponseHeaderFilter extends OncePerRequestFilter {

  private final Tracer tracer;

  private final String header;

  /**
   * Creates a filter writing the current trace id to the given header.
   *
   * @param tracer the tracer holding the request's span
   * @param header the response header
   */
  public TraceIdResponseHeaderFilter(Tracer tracer, String header) {
    this.tracer = tracer;
    this.header = header;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // Also for a trace that is not sampled: its id is the one in the request's log lines.
    Span span = this.tracer.currentSpan();
    String traceId = (span != null) ? span.context().traceId() : null;
    if (StringUtils.hasText(traceId)) {
      response.setHeader(this.header, traceId);
    }
    chain.doFilter(request, response);
  }
}
