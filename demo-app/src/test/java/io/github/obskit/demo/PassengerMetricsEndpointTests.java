package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.e2e.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
class PassengerMetricsEndpointTests {

  private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\\w+)");

  private static final Pattern SAMPLE =
      Pattern.compile(
          "([a-zA-Z_:][a-zA-Z0-9_:]*)"
              + "(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\",?)*\\})?"
              + " (\\S+)( -?\\d+)?");

  private static final Pattern LABEL_NAME = Pattern.compile("[{,]([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  @LocalServerPort private int port;

  @Test
  void passengerMetricsAreValidPrometheusTextWithTheContractNames() throws Exception {
    Map<String, Double> samples = parse(scrape("/passenger_metrics"));

    assertThat(samples).containsEntry("passenger_up{application=\"demo-app\"}", 1.0);
    assertThat(samples.keySet())
        .anyMatch(series -> series.startsWith("passenger_info{"))
        .anyMatch(series -> series.startsWith("passenger_processes"))
        .anyMatch(series -> series.startsWith("passenger_supergroup_capacity_used{"))
        .anyMatch(series -> series.startsWith("passenger_process_memory_bytes{"))
        .anyMatch(series -> series.startsWith("passenger_process_processed_total{"));
  }

  @Test
  void passengerValuesChangeBetweenScrapes() throws Exception {
    Map<String, Double> first = parse(scrape("/passenger_metrics"));

    // The simulator advances in whole seconds and reads are cached, so allow a few seconds.
    await()
        .pollInterval(Duration.ofMillis(500))
        .atMost(Waits.CONDITION)
        .untilAsserted(
            () -> {
              Map<String, Double> next = parse(scrape("/passenger_metrics"));
              assertThat(next).isNotEqualTo(first);
            });
  }

  @Test
  void passengerSeriesAreServedOnlyOnTheirOwnPath() throws Exception {
    String applicationMetrics = scrape("/metrics");

    assertThat(applicationMetrics).contains("http_server_requests").doesNotContain("passenger_");
  }

  /**
   * Parses the Prometheus text format strictly enough to catch malformed output: every line is a
   * comment or a sample, every sample's family has a {@code # TYPE}, no series repeats, and no
   * label is called {@code instance} (Prometheus would rename it on ingestion).
   */
  private static Map<String, Double> parse(String text) {
    Set<String> typedFamilies = new HashSet<>();
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# EOF")) {
        continue;
      }
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        typedFamilies.add(type.group(1));
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      assertThat(sample.matches()).as("valid sample line: %s", line).isTrue();
      String name = sample.group(1);
      assertThat(typedFamilies)
          .as("# TYPE declared before %s", line)
          .anyMatch(family -> name.equals(family) || name.startsWith(family + "_"));
      String labels = sample.group(2) == null ? "" : sample.group(2);
      Matcher labelName = LABEL_NAME.matcher(labels);
      while (labelName.find()) {
        assertThat(labelName.group(1)).as("label in %s", line).isNotEqualTo("instance");
      }
      Double previous = samples.put(name + labels, value(sample.group(3)));
      assertThat(previous).as("series repeated: %s", line).isNull();
    }
    assertThat(samples).isNotEmpty();
    return samples;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private String scrape(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    return response.body();
  }
}
