package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.entry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.KeyValuePair;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

class AccessLogFilterTests {

  private final Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLogFilter.LOGGER_NAME);

  private final ListAppender<ILoggingEvent> events =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
          // As an asynchronous appender does: the MDC is read when the event is logged.
          event.prepareForDeferredProcessing();
          super.append(event);
        }
      };

  private final AccessLogFilter filter = new AccessLogFilter(RequestPathMatcher.none());

  private boolean additive;

  @BeforeEach
  void captureTheAccessLog() {
    this.events.start();
    this.accessLogger.addAppender(this.events);
    // Only here: a JSON console appender left by an earlier test's application would print the
    // events later, into whatever output a following test captures.
    this.additive = this.accessLogger.isAdditive();
    this.accessLogger.setAdditive(false);
  }

  @AfterEach
  void releaseTheAccessLog() {
    this.accessLogger.setAdditive(this.additive);
    this.accessLogger.detachAppender(this.events);
  }

  @Test
  void namesTheRouteByTheMatchedPatternEvenForAHandlersOwn404() throws Exception {
    Map<String, Object> fields =
        logged(
            "/orders/42",
            (request, response) -> {
              request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/orders/{id}");
              ((HttpServletResponse) response).setStatus(404);
            });

    assertThat(fields).containsEntry("route", "/orders/{id}").containsEntry("status", 404);
  }

  @Test
  void namesAHandlerMappedToTheEmptyPatternRootAsTheRequestMetricsDo() throws Exception {
    Map<String, Object> fields =
        logged(
            "/",
            (request, response) ->
                request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, ""));

    assertThat(fields).containsEntry("route", "root");
  }

  @Test
  void namesRequestsNoHandlerExplainsAsTheRequestMetricsDo() throws Exception {
    assertThat(logged("/nowhere", status(404))).containsEntry("route", "NOT_FOUND");
    assertThat(logged("/login-first", status(302))).containsEntry("route", "REDIRECTION");
    assertThat(logged("/answered-by-a-filter", status(200))).containsEntry("route", "UNKNOWN");
  }

  @Test
  void namesAPathTheStaticResourceHandlerCouldNotFindNotFound() throws Exception {
    Map<String, Object> fields =
        logged(
            "/missing.css",
            (request, response) -> {
              request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/**");
              request.setAttribute(
                  HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, new ResourceHttpRequestHandler());
              ((HttpServletResponse) response).setStatus(404);
            });

    assertThat(fields).containsEntry("route", "NOT_FOUND");
  }

  @Test
  void measuresTheDurationOfTheWholeChain() throws Exception {
    long sleptMillis = 120;
    Map<String, Object> fields = logged("/slow", (request, response) -> work(sleptMillis));

    // A lower bound only: the chain took at least this long, however busy the machine.
    assertThat((Long) fields.get("duration_ms")).isGreaterThanOrEqualTo(sleptMillis);
    assertThat(this.events.list.get(0).getFormattedMessage())
        .isEqualTo("GET /slow 200 " + fields.get("duration_ms") + " ms");
  }

  @Test
  void logsAFailureBeforeTheResponseIsCommittedAs500() {
    assertThatIOException()
        .isThrownBy(
            () ->
                logged(
                    "/fails",
                    (request, response) -> {
                      throw new IOException("failed");
                    }));

    assertThat(onlyEventFields()).containsEntry("status", 500);
  }

  @Test
  void keepsTheCommittedStatusWhenTheClientGoesAwayMidBody() {
    assertThatIOException()
        .isThrownBy(
            () ->
                logged(
                    "/download",
                    (request, response) -> {
                      response.flushBuffer();
                      throw new IOException("Broken pipe");
                    }));

    assertThat(onlyEventFields()).containsEntry("status", 200);
  }

  @Test
  void logsAnAsynchronousRequestOnCompletionWithTheMdcItStartedWith() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/report");
    request.setAsyncSupported(true);
    MockHttpServletResponse response = new MockHttpServletResponse();
    try (MDC.MDCCloseable requestId = MDC.putCloseable("request_id", "r-1");
        MDC.MDCCloseable traceId = MDC.putCloseable("traceId", "4bf92f3577b34da6")) {
      this.filter.doFilter(request, response, (req, res) -> req.startAsync());
    }
    assertThat(this.events.list).isEmpty();

    MDC.put("traceId", "of-the-completing-thread");
    try {
      response.setStatus(202);
      request.getAsyncContext().complete();

      assertThat(onlyEventFields()).containsEntry("status", 202);
      assertThat(this.events.list.get(0).getMDCPropertyMap())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("request_id", "r-1", "traceId", "4bf92f3577b34da6"));
      assertThat(MDC.getCopyOfContextMap())
          .containsExactly(entry("traceId", "of-the-completing-thread"));
    } finally {
      MDC.clear();
    }
  }

  private static void work(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    }
  }

  private static FilterChain status(int status) {
    return (request, response) -> ((HttpServletResponse) response).setStatus(status);
  }

  private Map<String, Object> logged(String path, FilterChain chain) throws Exception {
    this.events.list.clear();
    this.filter.doFilter(
        new MockHttpServletRequest("GET", path), new MockHttpServletResponse(), chain);
    return onlyEventFields();
  }

  private Map<String, Object> onlyEventFields() {
    assertThat(this.events.list).hasSize(1);
    return this.events.list.get(0).getKeyValuePairs().stream()
        .collect(Collectors.toMap((pair) -> pair.key, (KeyValuePair pair) -> pair.value));
  }
}
