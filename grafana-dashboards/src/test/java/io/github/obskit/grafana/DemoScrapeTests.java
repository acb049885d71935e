package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.demo.DemoApplication;
import io.github.obskit.e2e.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the real demo application in-process and compares emitted-metrics.txt with what it exposes
 * on the paths of the {@code backend} and {@code passenger} jobs: a renamed meter fails here rather
 * than only in the end-to-end check against a real Prometheus.
 */
class DemoScrapeTests {

  /** The path the {@code backend} job scrapes. */
  private static final String METRICS = "/metrics";

  /** The path the {@code passenger} job scrapes: the names with the {@code passenger_} prefix. */
  private static final String PASSENGER_METRICS = "/passenger_metrics";

  private static final int JAVA = Runtime.version().feature();

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static ConfigurableApplicationContext demo;

  private static String baseUrl;

  @BeforeAll
  static void startTheDemoAndSendRequests() throws Exception {
    demo =
        new SpringApplicationBuilder(DemoApplication.class)
            .run("--server.port=0", "--server.address=127.0.0.1");
    int port = demo.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    baseUrl = "http://127.0.0.1:" + port;
    // The request timers exist only after requests; these cover a success, a server error and an
    // unknown path.
    for (String path : new String[] {"/", "/status/503", "/no-such-page"}) {
      get(path);
    }
    // jvm.gc.pause is registered at the first garbage collection, which a short test run may not
    // have had yet.
    System.gc();
  }

  @AfterAll
  static void stopTheDemo() {
    demo.close();
  }

  @Test
  void everyNameListedForTheDemoIsInItsScrape() {
    // Timers and the GC meters appear once the requests and the collection above are recorded,
    // which happens after the response is written and asynchronously.
    await()
        .atMost(Waits.CONDITION)
        .untilAsserted(
            () ->
                assertThat(missingFromTheScrape())
                    .as(
                        "names emitted-metrics.txt lists for the demo on Java %d but missing from"
                            + " its scrape, by path",
                        JAVA)
                    .isEmpty());
  }

  @Test
  void noNameMarkedAsNotTheDemosOnThisJavaIsInItsScrape() throws Exception {
    Set<String> scraped = new TreeSet<>(names(METRICS));
    scraped.addAll(names(PASSENGER_METRICS));
    Set<String> markedButExposed = new TreeSet<>(EmittedMetrics.notEmittedByTheDemoOnJava(JAVA));
    markedButExposed.retainAll(scraped);

    assertThat(markedButExposed)
        .as(
            "names the demo exposes on Java %d although emitted-metrics.txt marks them as not"
                + " emitted by it here: remove or correct their marker",
            JAVA)
        .isEmpty();
  }

  /** Per scrape path, the names listed for the demo that it does not expose there. */
  private static Map<String, Set<String>> missingFromTheScrape()
      throws IOException, InterruptedException {
    Map<String, Set<String>> scraped =
        Map.of(METRICS, names(METRICS), PASSENGER_METRICS, names(PASSENGER_METRICS));
    Map<String, Set<String>> missing = new TreeMap<>();
    for (String name : EmittedMetrics.emittedByTheDemoOnJava(JAVA)) {
      String path = name.startsWith("passenger_") ? PASSENGER_METRICS : METRICS;
      if (!scraped.get(path).contains(name)) {
        missing.computeIfAbsent(path, (key) -> new TreeSet<>()).add(name);
      }
    }
    return missing;
  }

  /**
   * The metric names in a Prometheus text exposition: the families of {@code # TYPE} lines and the
   * name of every sample line (with its {@code _count}, {@code _sum}, {@code _bucket}, {@code _max}
   * or {@code _total} suffix), which is everything before the labels or the value.
   */
  private static Set<String> names(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    Set<String> names = new TreeSet<>();
    for (String line : response.body().lines().toList()) {
      if (line.startsWith("# TYPE ")) {
        names.add(line.split(" ")[2]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path)).build(), BodyHandlers.ofString());
  }
}
