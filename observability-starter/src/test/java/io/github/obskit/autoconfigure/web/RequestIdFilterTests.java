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
    assertThat(RequestIdFilter.isAcceptable("a")).isTrue();
    assertThat(RequestIdFilter.isAcceptable("Req-1.2_3")).isTrue();
    assertThat(RequestIdFilter.isAcceptable("x".repeat(RequestIdFilter.MAX_LENGTH))).isTrue();
  }

  @Test
  void rejectsEmptyOverlongOrUnsafeIds() {
    assertThat(RequestIdFilter.isAcceptable(null)).isFalse();
    assertThat(RequestIdFilter.isAcceptable("")).isFalse();
    assertThat(RequestIdFilter.isAcceptable("x".repeat(RequestIdFilter.MAX_LENGTH + 1))).isFalse();
    assertThat(RequestIdFilter.isAcceptable("a b")).isFalse();
    assertThat(RequestIdFilter.isAcceptable("a\r\nb")).isFalse();
    assertThat(RequestIdFilter.isAcceptable("\"quoted\"")).isFalse();
    assertThat(RequestIdFilter.isAcceptable("é")).isFalse();
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
            seen.set(MDC.get(RequestIdFilter.MDC_KEY));
          }
        });

    assertThat(seen).hasValue("given");
    assertThat(MDC.get(RequestIdFilter.MDC_KEY)).isNull();
    assertThat(request.getAttribute(RequestIdFilter.ATTRIBUTE)).isEqualTo("given");
  }

  @Test
  void restoresTheIdOfTheEnclosingRequestAfterAnInnerOne() throws Exception {
    // A request handled inside another on the same thread (a forward through another filter
    // instance, an embedded call): the outer request's id must stay in the MDC afterwards.
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
    request.addHeader("X-Request-Id", "inner");
    MDC.put(RequestIdFilter.MDC_KEY, "outer");
    try {
      this.filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());

      assertThat(MDC.get(RequestIdFilter.MDC_KEY)).isEqualTo("outer");
    } finally {
      MDC.remove(RequestIdFilter.MDC_KEY);
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
