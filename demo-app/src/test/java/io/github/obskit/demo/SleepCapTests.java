package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "demo.max-sleep=150ms")
class SleepCapTests {

  private final HttpClient client = HttpClient.newHttpClient();

  @LocalServerPort private int port;

  @Test
  void sleepCapIsConfigurable() throws Exception {
    HttpResponse<String> withinCap = get("/status/200?seconds_sleep=0.15");
    HttpResponse<String> aboveCap = get("/status/200?seconds_sleep=0.2");

    assertThat(withinCap.statusCode()).isEqualTo(200);
    assertThat(aboveCap.statusCode()).isEqualTo(400);
    assertThat(aboveCap.body()).contains("between 0 and 0.15");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        BodyHandlers.ofString());
  }
}
