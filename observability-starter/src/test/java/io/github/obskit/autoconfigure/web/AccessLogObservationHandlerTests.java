package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AccessLogObservationHandlerTests {

  @RegisterExtension final AccessLogEvents accessLog = new AccessLogEvents();

  private final ObservationRegistry registry = ObservationRegistry.create();

  AccessLogObservationHandlerTests() {
    this.registry
        .observationConfig()
        .observationHandler(
            new AccessLogObservationHandler(
                new ServletServerRequestReader(),
                RequestPathMatcher.of("test", List.of("/hot/**"))))
        .observationHandler(
            new AccessLogObservationHandler(
                new ReactiveServerRequestReader(), RequestPathMatcher.none()));
  }

  @Test
  void logsTheRouteAndStatusOfTheMetricEvenWhenNoHandlerMatched() {
    MockHttpServletRequest request = request("/hello/world;jsessionid=SECRET");
    request.setQueryString("token=hidden");
    ServerRequestObservationContext context = servletContext(request, 401);
    // As a security filter's request matcher does: the pattern is known, no handler ran.
    context.setPathPattern("/hello/{name}");

    observe(context);

    Map<String, Object> fields = AccessLogEvents.fields(single());
    assertThat(fields)
        .containsEntry("route", "/hello/{name}")
        .containsEntry("status", 401)
        .containsEntry("method", "GET")
        .containsEntry("path", "/hello/world")
        .containsEntry("client_address", "10.0.0.7")
        .containsEntry("user_agent", "tests/1.0")
        .containsKey("duration_ms");
    assertThat(single().getFormattedMessage()).matches("GET /hello/world 401 \\d+ ms");
    assertThat(single().toString() + fields).doesNotContain("SECRET").doesNotContain("hidden");
  }

  @Test
  void logsUnknownPathsAsTheNotFoundRouteOfTheMetric() {
    observe(servletContext(request("/no/such/page"), 404));

    assertThat(AccessLogEvents.fields(single()))
        .containsEntry("route", "NOT_FOUND")
        .containsEntry("status", 404);
  }

  @Test
  void putsTheRequestIdOfTheRequestInTheMdcOfTheEventOnly() {
    MockHttpServletRequest request = request("/orders/1");
    request.setAttribute(RequestIds.ATTRIBUTE, "req-1");
    MDC.put(RequestIds.MDC_KEY, "outer");
    try {
      observe(servletContext(request, 200));

      assertThat(single().getMDCPropertyMap()).containsEntry(RequestIds.MDC_KEY, "req-1");
      assertThat(MDC.get(RequestIds.MDC_KEY)).isEqualTo("outer");
    } finally {
      MDC.remove(RequestIds.MDC_KEY);
    }
  }

  @Test
  void carriesTheTraceAndSpanIdsOfTheRequestsSpan() {
    SimpleTracer tracer = new SimpleTracer();
    // Registered first, as Boot's grouping does: the access log's handler stops first.
    ObservationRegistry traced = ObservationRegistry.create();
    traced
        .observationConfig()
        .observationHandler(new DefaultTracingObservationHandler(tracer))
        .observationHandler(
            new AccessLogObservationHandler(
                new ServletServerRequestReader(), RequestPathMatcher.none()));

    observe(servletContext(request("/orders/1"), 200), traced);

    SimpleSpan span = tracer.onlySpan();
    assertThat(single().getMDCPropertyMap())
        .containsEntry("traceId", span.getTraceId())
        .containsEntry("spanId", span.getSpanId());
    assertThat(span.getTraceId()).isNotBlank();
    assertThat(MDC.get("traceId")).isNull();
  }

  @Test
  void leavesOutTheConfiguredPathsButNotTheirObservation() {
    ServerRequestObservationContext context = servletContext(request("/hot/path"), 200);

    observe(context);

    assertThat(this.accessLog.events()).isEmpty();
    assertThat(context.getLowCardinalityKeyValue("uri")).isNotNull();
  }

  @Test
  void leavesTheStatusOutWhenTheServletResponseIsUnknown() {
    observe(new ServerRequestObservationContext(request("/orders/1"), null));

    Map<String, Object> fields = AccessLogEvents.fields(single());
    assertThat(fields).doesNotContainKey("status").containsKey("route");
    assertThat(single().getFormattedMessage()).matches("GET /orders/1 UNKNOWN \\d+ ms");
  }

  @Test
  void leavesTheStatusOutWhenTheReactiveClientWentAway() {
    MockServerHttpResponse response = new MockServerHttpResponse();
    response.setStatusCode(HttpStatus.OK);
    var context =
        new org.springframework.http.server.reactive.observation.ServerRequestObservationContext(
            MockServerHttpRequest.get("/orders/1").build(), response, Map.of());
    context.setPathPattern("/orders/{id}");
    context.setConnectionAborted(true);

    Observation.createNotStarted(
            new org.springframework.http.server.reactive.observation
                .DefaultServerRequestObservationConvention(),
            () -> context,
            this.registry)
        .start()
        .stop();

    Map<String, Object> fields = AccessLogEvents.fields(single());
    assertThat(fields).doesNotContainKey("status").containsEntry("route", "/orders/{id}");
    assertThat(single().getFormattedMessage()).matches("GET /orders/1 UNKNOWN \\d+ ms");
  }

  @Test
  void logsAKnownStatusAsANumber() {
    observe(servletContext(request("/orders/1"), 503));

    assertThat(AccessLogEvents.fields(single()).get("status")).isEqualTo(503);
  }

  @Test
  void logsReactiveRequests() {
    MockServerHttpRequest request =
        MockServerHttpRequest.get("/ctx/orders/42;jsessionid=SECRET")
            .contextPath("/ctx")
            .header("User-Agent", "tests/2.0")
            .remoteAddress(new InetSocketAddress("10.0.0.8", 4711))
            .build();
    MockServerHttpResponse response = new MockServerHttpResponse();
    response.setStatusCode(HttpStatus.CREATED);
    var context =
        new org.springframework.http.server.reactive.observation.ServerRequestObservationContext(
            request, response, Map.of(RequestIds.ATTRIBUTE, "reactive-1"));
    context.setPathPattern("/orders/{id}");

    Observation.createNotStarted(
            new org.springframework.http.server.reactive.observation
                .DefaultServerRequestObservationConvention(),
            () -> context,
            this.registry)
        .start()
        .stop();

    assertThat(AccessLogEvents.fields(single()))
        .containsEntry("route", "/orders/{id}")
        .containsEntry("status", 201)
        .containsEntry("method", "GET")
        .containsEntry("path", "/ctx/orders/42")
        .containsEntry("client_address", "10.0.0.8")
        .containsEntry("user_agent", "tests/2.0");
    assertThat(single().getMDCPropertyMap()).containsEntry(RequestIds.MDC_KEY, "reactive-1");
  }

  private ILoggingEvent single() {
    assertThat(this.accessLog.events()).hasSize(1);
    return this.accessLog.events().get(0);
  }

  private void observe(ServerRequestObservationContext context) {
    observe(context, this.registry);
  }

  private static void observe(
      ServerRequestObservationContext context, ObservationRegistry registry) {
    ServerHttpObservationDocumentation.HTTP_SERVLET_SERVER_REQUESTS
        .observation(null, new DefaultServerRequestObservationConvention(), () -> context, registry)
        .start()
        .stop();
  }

  private static MockHttpServletRequest request(String uri) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
    request.setRemoteAddr("10.0.0.7");
    request.addHeader("User-Agent", "tests/1.0");
    return request;
  }

  private static ServerRequestObservationContext servletContext(
      MockHttpServletRequest request, int status) {
    MockHttpServletResponse response = new MockHttpServletResponse();
    response.setStatus(status);
    return new ServerRequestObservationContext(request, response);
  }
}
