package io.github.obskit.autoconfigure.metrics;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.http.HttpHeaders;
import org.springframework.web.HttpRequestHandler;

/**
 * Serves a Prometheus scrape on a path of its own in a servlet application (see {@link
 * PrometheusScrape} for what it answers). A plain handler rather than a controller method: the
 * application's controller advice (a {@code ResponseBodyAdvice} wrapping every body, say) never
 * touches a scrape.
 */
public final class PrometheusScrapeHandler implements HttpRequestHandler {

  private static final String INCLUDED_NAMES = "includedNames";

  private final PrometheusScrape scrape;

  /**
   * Creates a handler serving the scrapes of the given endpoint.
   *
   * @param endpoint the endpoint that writes the exposition
   */
  public PrometheusScrapeHandler(PrometheusScrapeEndpoint endpoint) {
    this(endpoint, () -> {});
  }

  /**
   * Creates a handler serving the scrapes of the given endpoint, running the given action before
   * each scrape, but not for a request it refuses.
   *
   * @param endpoint the endpoint that writes the exposition
   * @param beforeEachScrape what to do first, e.g. refresh the values scraped
   */
  public PrometheusScrapeHandler(PrometheusScrapeEndpoint endpoint, Runnable beforeEachScrape) {
    this.scrape = new PrometheusScrape(endpoint, beforeEachScrape);
  }

  @Override
  public void handleRequest(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String[] includedNames = request.getParameterValues(INCLUDED_NAMES);
    PrometheusScrape.Response answer =
        this.scrape.answer(
            request.getMethod(),
            Collections.list(request.getHeaders(HttpHeaders.ACCEPT)),
            (includedNames != null) ? List.of(includedNames) : null,
            request.getRequestURI());
    if (answer.allow()) {
      response.setHeader(HttpHeaders.ALLOW, PrometheusScrape.ALLOW);
    }
    response.setStatus(answer.status());
    if (answer.contentType() == null) {
      return;
    }
    response.setContentType(answer.contentType());
    response.setContentLength(answer.body().length);
    response.getOutputStream().write(answer.body());
  }
}
