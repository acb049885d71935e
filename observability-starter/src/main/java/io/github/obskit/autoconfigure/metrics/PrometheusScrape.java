package io.github.obskit.autoconfigure.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.StringUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a scrape request by delegating to Boot's {@link PrometheusScrapeEndpoint}, for the
 * servlet and the reactive scrape handlers: same bytes, the same formats (Prometheus text 0.0.4,
 * OpenMetrics 1.0.0, protobuf) and the same {@code includedNames} filter as {@code
 * /actuator/prometheus}, but the format chosen by the {@code Accept} header's weights ({@link
 * ScrapeFormatNegotiation}), which Boot's endpoint ignores.
 *
 * <p>Answers {@code GET} and {@code HEAD}, and {@code OPTIONS} with the methods it allows. Refusals
 * are {@code application/problem+json}: 405 for other methods, 406 for an {@code Accept} header
 * that accepts none of the formats, and 400 for one that is no list of media types (where Actuator
 * answers 406).
 */
public final class PrometheusScrape {

  /** The value of the {@code Allow} header of the scrape paths. */
  public static final String ALLOW = "GET, HEAD, OPTIONS";

  private static final List<String> ALLOWED_METHODS = List.of("GET", "HEAD", "OPTIONS");

  private static final String SUPPORTED =
      Arrays.stream(PrometheusOutputFormat.values())
          .map((format) -> format.getProducedMimeType().toString())
          .collect(Collectors.joining(", "));

  private final PrometheusScrapeEndpoint endpoint;

  private final Runnable beforeEachScrape;

  /**
   * Creates the scrape of the given endpoint, running the given action before each scrape, but not
   * for a request it refuses.
   *
   * @param endpoint the endpoint that writes the exposition
   * @param beforeEachScrape what to do first, e.g. refresh the values scraped
   */
  public PrometheusScrape(PrometheusScrapeEndpoint endpoint, Runnable beforeEachScrape) {
    this.endpoint = endpoint;
    this.beforeEachScrape = beforeEachScrape;
  }

  /**
   * Answers one request.
   *
   * @param method the request's method
   * @param accept the values of its {@code Accept} headers
   * @param includedNames the values of its {@code includedNames} parameters, {@code null} when none
   * @param path the request's path, the problem's {@code instance}
   * @return the response to write
   */
  public Response answer(
      String method, List<String> accept, List<String> includedNames, String path) {
    if (!ALLOWED_METHODS.contains(method)) {
      return problem(
          HttpStatus.METHOD_NOT_ALLOWED,
          "Method " + method + " is not supported; use one of " + ALLOW,
          path,
          true);
    }
    if (method.equals("OPTIONS")) {
      return new Response(HttpStatus.OK.value(), null, new byte[0], true);
    }
    PrometheusOutputFormat format;
    try {
      format = ScrapeFormatNegotiation.negotiate(accept);
    } catch (InvalidMediaTypeException ex) {
      return problem(
          HttpStatus.BAD_REQUEST,
          "The Accept header " + accept + " is not a list of media types: " + ex.getMessage(),
          path,
          false);
    }
    if (format == null) {
      return problem(
          HttpStatus.NOT_ACCEPTABLE,
          "None of the accepted media types " + accept + " is supported; use one of " + SUPPORTED,
          path,
          false);
    }
    this.beforeEachScrape.run();
    WebEndpointResponse<byte[]> scrape = this.endpoint.scrape(format, names(includedNames));
    return new Response(
        scrape.getStatus(), format.getProducedMimeType().toString(), scrape.getBody(), false);
  }

  private static Set<String> names(List<String> values) {
    if (values == null) {
      return null;
    }
    Set<String> names =
        values.stream()
            .flatMap((value) -> Arrays.stream(StringUtils.commaDelimitedListToStringArray(value)))
            .map(String::trim)
            .filter(StringUtils::hasText)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    return names.isEmpty() ? null : names;
  }

  private static Response problem(HttpStatus status, String detail, String path, boolean allow) {
    // RFC 9457's members, as Spring's ProblemDetail writes them.
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", status.getReasonPhrase());
    problem.put("status", status.value());
    problem.put("detail", detail);
    problem.put("instance", path);
    return new Response(
        status.value(),
        MediaType.APPLICATION_PROBLEM_JSON_VALUE,
        JsonMapper.shared().writeValueAsBytes(problem),
        allow);
  }

  /**
   * The response to a scrape request.
   *
   * @param status the status code
   * @param contentType the content type, {@code null} without a body
   * @param body the body
   * @param allow whether to send the {@code Allow} header with {@link #ALLOW}
   */
  public record Response(int status, String contentType, byte[] body, boolean allow) {}
}
