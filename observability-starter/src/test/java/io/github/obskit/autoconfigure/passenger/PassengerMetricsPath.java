package io.github.obskit.autoconfigure.passenger;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.web.ScrapePathHandlerMapping;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.HttpRequestHandler;

/** The servlet route of the Passenger metrics path, scraped as Prometheus would. */
final class PassengerMetricsPath {

  private PassengerMetricsPath() {}

  /** The handler the path {@code /passenger_metrics} is mapped to. */
  static HttpRequestHandler handler(ApplicationContext context) {
    ScrapePathHandlerMapping route =
        context.getBean(
            PassengerMetricsAutoConfiguration.ROUTE_BEAN_NAME, ScrapePathHandlerMapping.class);
    return (HttpRequestHandler) route.getUrlMap().get("/passenger_metrics");
  }

  /** A GET of the path accepting the given format, which must answer 200: its body. */
  static String scrape(HttpRequestHandler handler, String accept) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/passenger_metrics");
    request.addHeader("Accept", accept);
    MockHttpServletResponse response = new MockHttpServletResponse();
    handler.handleRequest(request, response);
    assertThat(response.getStatus()).isEqualTo(200);
    return response.getContentAsString();
  }

  /** A GET of the path in the text format: its body. */
  static String scrape(ApplicationContext context) throws Exception {
    return scrape(handler(context), "text/plain");
  }
}
