package io.github.obskit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

// Boot initialises logging once per JVM until a context closes: closing this one lets the next test
// class start with the logging configuration its own properties select.
@DirtiesContext
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.application.name=obskit-passenger-test",
      "observability.passenger.enabled=true",
      "observability.passenger.source=simulator",
      "observability.passenger.simulator.scenario=overloaded"
    })
@AutoConfigureMetrics
class PassengerEndpointApplicationTests {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

  @Test
  void servesThePassengerMetricsOnTheirOwnPath() throws Exception {
    HttpResponse<String> scrape = get("/passenger_metrics", "*/*");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain;version=0.0.4"));
    assertThat(scrape.body())
        .contains("passenger_up{application=\"obskit-passenger-test\"} 1.0")
        .contains("passenger_pool_max{application=\"obskit-passenger-test\"} 12.0")
        .contains("passenger_process_memory_bytes{")
        .contains("passenger_supergroup_get_wait_list_size{")
        .doesNotContain("instance=")
        .doesNotContain("http_server_requests")
        .doesNotContain("jvm_");
  }

  @Test
  void servesTextOnThePassengerPathWhenTextWeighsMore() throws Exception {
    HttpResponse<String> scrape =
        get(
            "/passenger_metrics",
            "text/plain;version=0.0.4;q=1.0,application/openmetrics-text;q=0.5");

    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain;version=0.0.4"));
    assertThat(scrape.body()).doesNotContain("# EOF");
  }

  @Test
  void negotiatesOpenMetricsOnThePassengerPath() throws Exception {
    HttpResponse<String> scrape =
        get("/passenger_metrics", "application/openmetrics-text;version=1.0.0");

    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValueSatisfying(
            (type) -> assertThat(type).startsWith("application/openmetrics-text;version=1.0.0"));
    assertThat(scrape.body())
        .contains("passenger_up{application=\"obskit-passenger-test\"} 1.0")
        .endsWith("# EOF\n");
  }

  @Test
  void passengerMetricsAreNotInTheApplicationScrape() throws Exception {
    get("/passenger_metrics", "*/*");

    String metrics = get("/metrics", "*/*").body();

    assertThat(metrics).contains("jvm_memory_used_bytes").doesNotContain("passenger_");
    assertThat(metrics).doesNotContain("uri=\"/passenger_metrics\"");
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
            .header("Accept", accept)
            .timeout(Waits.HTTP)
            .build();
    return this.http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
