package io.github.obskit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.securedapp.DenyByDefaultApplication;
import io.github.obskit.autoconfigure.securedapp.ScrapePermittingApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * What a scraper and a probe get from an application behind Spring Security: a redirect to a login
 * page when nothing permits them, the scrape and the probes with the README's snippet.
 */
class SecuredScrapeApplicationTests {

  // What Prometheus 2.42 sends: its */* makes Spring Security choose the login page over a 401.
  private static final String PROMETHEUS_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private static HttpResponse<String> get(int port, String path, Redirect redirect)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(redirect)
            .build();
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Accept", PROMETHEUS_ACCEPT)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Nested
  @DirtiesContext
  @SpringBootTest(
      classes = DenyByDefaultApplication.class,
      webEnvironment = WebEnvironment.RANDOM_PORT,
      properties = {
        "spring.application.name=obskit-denied",
        "management.endpoint.health.probes.add-additional-paths=true"
      })
  @AutoConfigureMetrics
  class DenyByDefault {

    @LocalServerPort private int port;

    // A scraper that follows the redirect gets an HTML page with status 200: Prometheus cannot
    // parse it (the scrape fails, up is 0), and with follow_redirects: false (the stack's jobs) it
    // fails on the 302 itself, naming it.
    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/actuator/prometheus"})
    void scrapesAreRedirectedToALoginPageThatAnswers200(String path) throws Exception {
      HttpResponse<String> unfollowed = get(this.port, path, Redirect.NEVER);
      HttpResponse<String> followed = get(this.port, path, Redirect.NORMAL);

      assertThat(unfollowed.statusCode()).isEqualTo(302);
      assertThat(unfollowed.headers().firstValue("Location"))
          .hasValueSatisfying((location) -> assertThat(location).endsWith("/login"));
      assertThat(followed.statusCode()).isEqualTo(200);
      assertThat(followed.headers().firstValue("Content-Type"))
          .hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
      assertThat(followed.body()).doesNotContain("# TYPE");
    }

    // Boot's default chain permits the health endpoint and its probe paths.
    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/livez", "/readyz"})
    void probesAnswerWithoutALogin(String path) throws Exception {
      assertThat(get(this.port, path, Redirect.NEVER).statusCode()).isEqualTo(200);
    }
  }

  @Nested
  @DirtiesContext
  @SpringBootTest(
      classes = ScrapePermittingApplication.class,
      webEnvironment = WebEnvironment.RANDOM_PORT,
      properties = {
        "spring.application.name=obskit-permitted",
        "management.endpoint.health.probes.add-additional-paths=true"
      })
  @AutoConfigureMetrics
  class ReadmeSnippet {

    @LocalServerPort private int port;

    @ParameterizedTest
    @ValueSource(
        strings = {"/metrics", "/actuator/prometheus", "/actuator/health", "/livez", "/readyz"})
    void scrapesAndProbesAnswerWithoutALogin(String path) throws Exception {
      HttpResponse<String> response = get(this.port, path, Redirect.NEVER);

      assertThat(response.statusCode()).as(path).isEqualTo(200);
      if (path.contains("metrics") || path.contains("prometheus")) {
        assertThat(response.body()).contains("# TYPE http_server_requests_seconds");
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/info", "/anything"})
    void everythingElseStillNeedsALogin(String path) throws Exception {
      assertThat(get(this.port, path, Redirect.NEVER).statusCode()).isIn(302, 401);
    }
  }
}
