package io.github.obskit.autoconfigure.metrics;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.endpoint.ProducibleOperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.StringUtils;
import org.springframework.web.HttpRequestHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves a Prometheus scrape on a path of its own by delegating to Boot's {@link
 * PrometheusScrapeEndpoint}: same bytes, same choice of format by the {@code Accept} header
 * (Prometheus text 0.0.4, OpenMetrics 1.0.0, protobuf) and the same {@code includedNames} filter as
 * {@code /actuator/prometheus}.
 *
 * <p>Answers {@code GET} and {@code HEAD}, and {@code OPTIONS} with the methods it allows. Refusals
 * are {@code application/problem+json}: 405 for other methods, 406 for an {@code Accept} header
 * that accepts none of the formats, and 400 for one that is no list of media types (where Actuator
 * answers 406). A plain handler rather than a controller method: the application's controller
 * advice (a {@code ResponseBodyAdvice} wrapping every body, say) never touches a scrape.
 */
public final class PrometheusScrapeHandler implements HttpRequestHandler {

  private static final String INCLUDED_NAMES = "includedNames";

  private static final List<String> ALLOWED_METHODS = List.of("GET", "HEAD", "OPTIONS");

  private static final String ALLOW = String.join(", ", ALLOWED_METHODS);

  private static final String SUPPORTED =
      Arrays.stream(PrometheusOutputFormat.values())
          .map((format) -> format.getProducedMimeType().toString())
          .collect(Collectors.joining(", "));

  private final PrometheusScrapeEndpoint endpoint;

  private final Runnable beforeEachScrape;

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
    this.endpoint = endpoint;
    this.beforeEachScrape = beforeEachScrape;
  }

  @Override
  public void handleRequest(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String method = request.getMethod();
    if (!ALLOWED_METHODS.contains(method)) {
      response.setHeader(HttpHeaders.ALLOW, ALLOW);
      writeProblem(
          request,
          response,
          HttpStatus.METHOD_NOT_ALLOWED,
          "Method " + method + " is not supported; use one of " + ALLOW);
      return;
    }
    if (method.equals("OPTIONS")) {
      response.setHeader(HttpHeaders.ALLOW, ALLOW);
      return;
    }
    List<String> accept = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
    PrometheusOutputFormat format;
    try {
      format =
          new ProducibleOperationArgumentResolver(() -> accept)
              .resolve(PrometheusOutputFormat.class);
    } catch (InvalidMimeTypeException ex) {
      writeProblem(
          request,
          response,
          HttpStatus.BAD_REQUEST,
          "The Accept header " + accept + " is not a list of media types: " + ex.getMessage());
      return;
    }
    if (format == null) {
      writeProblem(
          request,
          response,
          HttpStatus.NOT_ACCEPTABLE,
          "None of the accepted media types " + accept + " is supported; use one of " + SUPPORTED);
      return;
    }
    this.beforeEachScrape.run();
    WebEndpointResponse<byte[]> scrape = this.endpoint.scrape(format, includedNames(request));
    write(response, scrape.getStatus(), format.getProducedMimeType().toString(), scrape.getBody());
  }

  private static void write(
      HttpServletResponse response, int status, String contentType, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static Set<String> includedNames(HttpServletRequest request) {
    String[] values = request.getParameterValues(INCLUDED_NAMES);
    if (values == null) {
      return null;
    }
    Set<String> names =
        Arrays.stream(values)
            .flatMap((value) -> Arrays.stream(StringUtils.commaDelimitedListToStringArray(value)))
            .map(String::trim)
            .filter(StringUtils::hasText)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    return names.isEmpty() ? null : names;
  }

  private static void writeProblem(
      HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    // RFC 9457's members, as Spring's ProblemDetail writes them.
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", status.getReasonPhrase());
    problem.put("status", status.value());
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    write(
        response,
        status.value(),
        MediaType.APPLICATION_PROBLEM_JSON_VALUE,
        JsonMapper.shared().writeValueAsBytes(problem));
  }
}
