package io.github.obskit.autoconfigure.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The scrape on Jetty with the starter's defaults is gzip-compressed like on Tomcat. Runs only in
 * the surefire execution {@code jetty-tests}, whose classpath has Jetty instead of Tomcat (see the
 * module's pom); every other test runs on Tomcat.
 */
@EnabledIfSystemProperty(named = "obskit.test.web-server", matches = "jetty")
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.application.name=obskit-jetty")
@AutoConfigureMetrics
class JettyScrapeCompressionTests {

  private static final String PROMETHEUS_2_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private static final String PROMETHEUS_3_ACCEPT =
      "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
          + "application/openmetrics-text;version=0.0.1;q=0.5,"
          + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
          + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort private int port;

  @Autowired private WebServerApplicationContext context;

  @Test
  void theApplicationRunsOnJetty() {
    assertThat(this.context.getWebServer().getClass().getSimpleName()).startsWith("Jetty");
  }

  // Prometheus 2 and 3 ask for OpenMetrics first; the text format is what a plain scraper gets.
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/metrics|" + PROMETHEUS_2_ACCEPT + "|application/openmetrics-text",
        "/metrics|" + PROMETHEUS_3_ACCEPT + "|application/openmetrics-text",
        "/actuator/prometheus|" + PROMETHEUS_3_ACCEPT + "|application/openmetrics-text",
        "/metrics|text/plain|text/plain;version=0.0.4",
        "/actuator/prometheus|text/plain|text/plain;version=0.0.4"
      })
  void scrapeIsCompressedWhenTheScraperAsksForGzip(String path, String accept, String type)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .header("Accept", accept)
            .header("Accept-Encoding", "gzip")
            .timeout(Duration.ofSeconds(10))
            .build();

    HttpResponse<byte[]> scrape = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying((contentType) -> assertThat(contentType).startsWith(type));
    assertThat(scrape.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (GZIPInputStream body = new GZIPInputStream(new ByteArrayInputStream(scrape.body()))) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
          .contains("# TYPE jvm_memory_used_bytes gauge");
    }
  }
}
