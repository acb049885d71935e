package io.github.obskit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * The scrape paths in an application whose Spring MVC setup would break a scrape served as a
 * controller method or router function: lazy beans, a body-wrapping advice, required API versions
 * and a catch-all route.
 */
@DirtiesContext
@SpringBootTest(
    classes = {
      TestApplication.class,
      ScrapePathsInAnUnusualApplicationTests.CatchAllController.class,
      ScrapePathsInAnUnusualApplicationTests.WrappingAdvice.class
    },
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.application.name=obskit-unusual-test",
      "spring.main.lazy-initialization=true",
      "spring.mvc.apiversion.use.header=X-API-Version",
      "spring.mvc.apiversion.required=true",
      "spring.mvc.apiversion.supported=1",
      "observability.passenger.enabled=true",
      "observability.passenger.source=simulator"
    })
@AutoConfigureMetrics
class ScrapePathsInAnUnusualApplicationTests {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

  @Test
  void theApplicationsOwnRoutesRequireAVersionAndGetWrapped() throws Exception {
    assertThat(get("/orders/1", null).statusCode()).isEqualTo(400);
    HttpResponse<String> page = get("/bytes", "1");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).isEqualTo("wrapped");
  }

  @Test
  void servesTheScrapeWithoutVersionOrAdviceAndAheadOfTheCatchAllRoute() throws Exception {
    HttpResponse<String> scrape = get("/metrics", null);

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("jvm_memory_used_bytes{");
  }

  @Test
  void shadowsAControllerOfTheApplicationOnTheSamePath() throws Exception {
    HttpResponse<String> scrape = get("/passenger_metrics", "1");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("passenger_up").doesNotContain("the application's own");
  }

  @Test
  void servesThePassengerMetricsWithLazyBeans() throws Exception {
    HttpResponse<String> scrape = get("/passenger_metrics", null);

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("passenger_up{application=\"obskit-unusual-test\"} 1.0");
  }

  private HttpResponse<String> get(String path, String version) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .timeout(Waits.HTTP);
    if (version != null) {
      request.header("X-API-Version", version);
    }
    return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @RestController
  static class CatchAllController {

    @GetMapping(path = "/{page}", version = "1")
    String page(@PathVariable String page) {
      return "page " + page;
    }

    @GetMapping(path = "/passenger_metrics", version = "1")
    String ownPassengerMetrics() {
      return "the application's own";
    }

    @GetMapping(path = "/bytes", version = "1")
    byte[] bytes() {
      return "unwrapped".getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Replaces every byte-array body, as an application's envelope advice would. */
  @RestControllerAdvice
  static class WrappingAdvice implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(
        MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
      return true;
    }

    @Override
    public Object beforeBodyWrite(
        Object body,
        MethodParameter returnType,
        MediaType selectedContentType,
        Class<? extends HttpMessageConverter<?>> selectedConverterType,
        ServerHttpRequest request,
        ServerHttpResponse response) {
      return (body instanceof byte[]) ? "wrapped".getBytes(StandardCharsets.UTF_8) : body;
    }
  }
}
