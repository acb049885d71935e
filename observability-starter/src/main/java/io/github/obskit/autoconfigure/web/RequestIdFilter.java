package io.github.obskit.autoconfigure.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every servlet request an id ({@link RequestIds}), puts it in the MDC as {@value
 * RequestIds#MDC_KEY}, keeps it as the request attribute {@link RequestIds#ATTRIBUTE} and echoes it
 * in the response header.
 */
public class RequestIdFilter extends OncePerRequestFilter {

  private final String header;

  /**
   * Creates a filter reading and writing the request id in the given header.
   *
   * @param header the header name, for example {@code X-Request-Id}
   */
  public RequestIdFilter(String header) {
    this.header = header;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain filterChain)
      throws ServletException, IOException {
    String requestId = requestId(request);
    request.setAttribute(RequestIds.ATTRIBUTE, requestId);
    if (!response.containsHeader(this.header)) {
      response.setHeader(this.header, requestId);
    }
    String previous = MDC.get(RequestIds.MDC_KEY);
    MDC.put(RequestIds.MDC_KEY, requestId);
    try {
      filterChain.doFilter(request, response);
    } finally {
      if (previous != null) {
        MDC.put(RequestIds.MDC_KEY, previous);
      } else {
        MDC.remove(RequestIds.MDC_KEY);
      }
    }
  }

  private String requestId(HttpServletRequest request) {
    // Async and error dispatches of the same request keep the id chosen on the first pass.
    if (request.getAttribute(RequestIds.ATTRIBUTE) instanceof String existing) {
      return existing;
    }
    return RequestIds.acceptOrGenerate(request.getHeader(this.header));
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }
}
