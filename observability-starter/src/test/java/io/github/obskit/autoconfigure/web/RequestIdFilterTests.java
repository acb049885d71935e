package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestIdFilterTests {

  private final RequestIdFilter filter = new RequestIdFilter("X-Request-Id");

  @Test
  void acceptsShortIdsOfSafeCharacters() {
    assertThat(RequestIds.isAcceptable("a")).isTrue();
    assertThat(RequestIds.isAcceptable("Req-1.2_3")).isTrue();
    assertThat(RequestIds.isAcceptable("x".repeat(RequestIds.MAX_LENGTH))).isTrue();
  }

  @Test
  void rejectsEmptyOverlongOrUnsafeIds() {
    assertThat(RequestIds.isAcceptable(null)).isFalse();
    assertThat(RequestIds.isAcceptable("")).isFalse();
    assertThat(RequestIds.isAcceptable("x".repeat(RequestIds.MAX_LENGTH + 1))).isFalse();
    assertThat(RequestIds.isAcceptable("a b")).isFalse();
    assertThat(RequestIds.isAcceptable("a\r\nb")).isFalse();
    assertThat(RequestIds.isAcceptable("\"quoted\"")).isFalse();
    assertThat(RequestIds.isAcceptable("é")).isFalse();
  }

  @Test
  void putsTheIdInTheMdcDuringTheRequestOnly() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    request.addHeader("X-Request-Id", "given");
    AtomicReference<String> seen = new AtomicReference<>();

    this.filter.doFilter(
        request,
        new MockHttpServletResponse(),
        new MockFilterChain(new HttpServlet() {}) {
          @Override
          public void doFilter(ServletRequest request, ServletResponse response) {
            seen.set(MDC.get(RequestIds.MDC_KEY));
          }
        });

    assertThat(seen).hasValue("given");
    assertThat(MDC.get(RequestIds.MDC_KEY)).isNull();
    assertThat(request.getAttribute(RequestIds.ATTRIBUTE)).isEqualTo("given");
  }

  @Test
  void restoresTheIdOfTheEnclosingRequestAfterAnInnerOne() throws Exception {
    // A request handled inside another on the same thread (a forward through another filter
    // instance, an embedded call): the outer request's id must stay in the MDC afterwards.
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    request.addHeader("X-Request-Id", "inner");
    MDC.put(RequestIds.MDC_KEY, "outer");
    try {
      this.filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());

      assertThat(MDC.get(RequestIds.MDC_KEY)).isEqualTo("outer");
    } finally {
      MDC.remove(RequestIds.MDC_KEY);
    }
  }

  @Test
  void generatesAnIdWhenTheCallersIsUnsafe() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    request.addHeader("X-Request-Id", "<script>");
    MockHttpServletResponse response = new MockHttpServletResponse();

    this.filter.doFilter(request, response, new MockFilterChain());

    assertThat(response.getHeader("X-Request-Id")).matches("[0-9a-f]{32}");
  }
}
