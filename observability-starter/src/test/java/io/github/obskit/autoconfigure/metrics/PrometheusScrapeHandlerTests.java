package io.github.obskit.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PrometheusScrapeHandlerTests {

  private final PrometheusMeterRegistry registry = registry();

  private final PrometheusScrapeHandler handler =
      new PrometheusScrapeHandler(
          new PrometheusScrapeEndpoint(
              this.registry.getPrometheusRegistry(),
              PrometheusConfig.DEFAULT.prometheusProperties()));

  @Test
  void scrapesOnGetWithTheNegotiatedContentTypeAndLength() throws Exception {
    MockHttpServletResponse response = handle(request("GET", "text/plain"));

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getContentType()).startsWith("text/plain;version=0.0.4");
    assertThat(response.getContentAsString()).contains("orders_total 1.0");
    assertThat(response.getContentLength()).isEqualTo(response.getContentAsByteArray().length);
  }

  @Test
  void scrapesOnHead() throws Exception {
    MockHttpServletResponse response =
        handle(request("HEAD", "application/openmetrics-text;version=1.0.0"));

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getContentType()).startsWith("application/openmetrics-text");
    assertThat(response.getContentLength()).isPositive();
  }

  @Test
  void filtersByIncludedNames() throws Exception {
    this.registry.counter("payments").increment();
    MockHttpServletRequest request = request("GET", "text/plain");
    request.addParameter("includedNames", " payments , ");

    String body = handle(request).getContentAsString();

    assertThat(body).contains("payments_total 1.0").doesNotContain("orders_total");
  }

  @Test
  void answersOptionsWithTheAllowedMethods() throws Exception {
    MockHttpServletResponse response = handle(request("OPTIONS", null));

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeader("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    assertThat(response.getContentAsByteArray()).isEmpty();
  }

  @Test
  void refusesOtherMethodsWithAProblemAndTheAllowedMethods() throws Exception {
    MockHttpServletResponse response = handle(request("POST", "text/plain"));

    JsonNode problem = problem(response, 405);
    assertThat(response.getHeader("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    assertThat(problem.get("detail").asString()).startsWith("Method POST is not supported");
  }

  @Test
  void runsTheActionBeforeEachScrapeButNotForARefusedRequest() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    PrometheusScrapeHandler counting =
        new PrometheusScrapeHandler(
            new PrometheusScrapeEndpoint(
                this.registry.getPrometheusRegistry(),
                PrometheusConfig.DEFAULT.prometheusProperties()),
            runs::incrementAndGet);

    counting.handleRequest(request("POST", "text/plain"), new MockHttpServletResponse());
    counting.handleRequest(request("OPTIONS", null), new MockHttpServletResponse());
    counting.handleRequest(request("GET", "application/xml"), new MockHttpServletResponse());
    assertThat(runs).hasValue(0);
    counting.handleRequest(request("GET", "text/plain"), new MockHttpServletResponse());
    assertThat(runs).hasValue(1);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "application/openmetrics-text;q=0, text/plain | text/plain;version=0.0.4",
        "text/plain;version=0.0.4;q=1.0,application/openmetrics-text;q=0.5"
            + " | text/plain;version=0.0.4",
        "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;"
            + "version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"
            + " | application/openmetrics-text;version=1.0.0",
        "text/plain, application/openmetrics-text | application/openmetrics-text;version=1.0.0",
        "text/plain;q=0.9, application/openmetrics-text;q=0.9"
            + " | application/openmetrics-text;version=1.0.0",
        "*/* | text/plain;version=0.0.4",
        "text/plain;q=0, */* | application/openmetrics-text;version=1.0.0",
        "application/openmetrics-text;q=0.1, */*;q=0.5 | text/plain;version=0.0.4",
        "application/vnd.google.protobuf;q=0.2, text/plain;q=0.8 | text/plain;version=0.0.4",
      })
  void choosesTheFormatWithTheHighestWeightAndRefusesWeightZero(String accept, String type)
      throws Exception {
    MockHttpServletResponse response = handle(request("GET", accept));

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getContentType()).startsWith(type);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/openmetrics-text;q=0", "*/*;q=0", "text/*;q=0, */*;q=0"})
  void answersAHeaderThatRefusesEveryFormatWithNotAcceptable(String accept) throws Exception {
    problem(handle(request("GET", accept)), 406);
  }

  @Test
  void answersAnUnacceptableTypeWithAProblemThatKeepsTheHeaderInsideItsString() throws Exception {
    MockHttpServletResponse response = handle(request("GET", "application/x;p=\"}, {\""));

    JsonNode problem = problem(response, 406);
    assertThat(problem.get("title").asString()).isEqualTo("Not Acceptable");
    assertThat(problem.get("detail").asString())
        .contains("application/x;p=\"}, {\"")
        .contains("application/openmetrics-text");
  }

  @Test
  void answersAMalformedAcceptHeaderWithABadRequestProblem() throws Exception {
    MockHttpServletResponse response = handle(request("GET", "text/plain;;;=\"x"));

    JsonNode problem = problem(response, 400);
    assertThat(problem.get("title").asString()).isEqualTo("Bad Request");
    assertThat(problem.get("detail").asString())
        .startsWith("The Accept header [text/plain;;;=\"x] is not a list of media types");
  }

  private static JsonNode problem(MockHttpServletResponse response, int status) throws Exception {
    assertThat(response.getStatus()).isEqualTo(status);
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
    JsonNode problem = JsonMapper.shared().readTree(response.getContentAsString());
    assertThat(problem.propertyNames())
        .containsExactly("type", "title", "status", "detail", "instance");
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("instance").asString()).isEqualTo("/metrics");
    return problem;
  }

  private MockHttpServletResponse handle(MockHttpServletRequest request) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    this.handler.handleRequest(request, response);
    return response;
  }

  private static MockHttpServletRequest request(String method, String accept) {
    MockHttpServletRequest request = new MockHttpServletRequest(method, "/metrics");
    if (accept != null) {
      request.addHeader("Accept", accept);
    }
    return request;
  }

  private static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("orders").increment();
    return registry;
  }
}
