package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Ports;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.PrometheusRelease;
import io.github.obskit.e2e.Waits;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real Prometheus binary of one {@link PrometheusRelease} in an end-to-end test, on a free
 * loopback port known before it starts (so that its configuration can scrape it), and its HTTP API
 * read as JSON.
 */
final class PrometheusProcess {

  private static final JsonMapper json = JsonMapper.builder().build();

  private final PrometheusRelease release;

  private final URI uri = URI.create("http://127.0.0.1:" + Ports.free());

  private Processes.Started started;

  PrometheusProcess(PrometheusRelease release) {
    this.release = release;
  }

  PrometheusRelease release() {
    return release;
  }

  /** A name for this release's files and logs, such as {@code debian_unstable}. */
  String slug() {
    return release.name().toLowerCase(Locale.ROOT);
  }

  String authority() {
    return uri.getAuthority();
  }

  /**
   * Starts Prometheus with this configuration, its TSDB in the processes' directory, its log {@code
   * prometheus-<slug>.log}.
   */
  Processes.Started start(Processes processes, Path config, String... flags) {
    List<String> command = new ArrayList<>();
    command.add(release.prometheus());
    command.add("--config.file=" + config);
    command.add("--storage.tsdb.path=" + processes.directory().resolve("tsdb-" + slug()));
    command.add("--web.listen-address=" + authority());
    command.addAll(List.of(flags));
    started = processes.start("prometheus-" + slug(), command);
    return started;
  }

  void awaitReady() {
    started.awaitOk(uri.resolve("/-/ready"), Waits.PROCESS);
  }

  /** The {@code data} of an API answer, which must be a 200. */
  JsonNode data(String pathAndQuery) {
    HttpResponse<String> response = Http.get(uri.resolve(pathAndQuery));
    assertThat(response.statusCode()).as("%s: %s", pathAndQuery, response.body()).isEqualTo(200);
    return json.readTree(response.body()).path("data");
  }

  /**
   * The {@code data} of an API answer, or an empty object for an error (a 400 carries a parse
   * error: the caller reports the query as one that returned nothing).
   */
  JsonNode dataOrEmpty(String pathAndQuery) {
    HttpResponse<String> response = Http.get(uri.resolve(pathAndQuery));
    return (response.statusCode() == 200)
        ? json.readTree(response.body()).path("data")
        : json.createObjectNode();
  }

  /** The result of an instant query. */
  JsonNode query(String promql) {
    return data("/api/v1/query?query=" + encode(promql)).path("result");
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
