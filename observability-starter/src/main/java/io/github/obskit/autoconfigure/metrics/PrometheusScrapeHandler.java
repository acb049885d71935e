package io.github.obskit.autoconfigure.metrics;

import io.github.obskit.autoconfigure.web.ScrapeHandler;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.endpoint.ProducibleOperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;

/**
 * Serves a Prometheus scrape on a path of its own by delegating to Boot's {@link
 * PrometheusScrapeEndpoint}: same bytes, same content negotiation (Prometheus text 0.0.4,
 * OpenMetrics 1.0.0, protobuf) and the same {@code includedNames} filter as {@code
 * /actuator/prometheus}.
 */
public final class PrometheusScrapeHandler implements ScrapeHandler {

  private static final String INCLUDED_NAMES = "includedNames";

  private final PrometheusScrapeEndpoint endpoint;

  /**
   * Creates a handler serving the scrapes of the given endpoint.
   *
   * @param endpoint the endpoint that writes the exposition
   */
  public PrometheusScrapeHandler(PrometheusScrapeEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public ResponseEntity<?> scrape(HttpServletRequest request) {
    List<String> accept = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
    PrometheusOutputFormat format =
        new ProducibleOperationArgumentResolver(() -> accept).resolve(PrometheusOutputFormat.class);
    if (format == null) {
      return notAcceptable(accept);
    }
    WebEndpointResponse<byte[]> scrape = this.endpoint.scrape(format, includedNames(request));
    return ResponseEntity.status(scrape.getStatus())
        .contentType(MediaType.asMediaType(format.getProducedMimeType()))
        .body(scrape.getBody());
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

  private static ResponseEntity<ProblemDetail> notAcceptable(List<String> accept) {
    String supported =
        Arrays.stream(PrometheusOutputFormat.values())
            .map((candidate) -> candidate.getProducedMimeType().toString())
            .collect(Collectors.joining(", "));
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.NOT_ACCEPTABLE,
            "None of the accepted media types "
                + accept
                + " is supported; use one of "
                + supported);
    return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
