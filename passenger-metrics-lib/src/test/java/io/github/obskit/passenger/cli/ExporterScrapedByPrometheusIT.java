package io.github.obskit.passenger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Ports;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.PrometheusRelease;
import io.github.obskit.e2e.Tools;
import io.github.obskit.e2e.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exporter's {@code serve} command scraped by the real Prometheus of every release. Prometheus
 * 3 sends another Accept header (text format 1.0.0, {@code escaping=allow-utf-8}) and fails a
 * scrape whose Content-Type it cannot map to a format: the target must stay up and its series
 * arrive on both. One exporter serves both releases' Prometheus.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ExporterScrapedByPrometheusIT {

  @AutoClose private final Processes exporter = new Processes("exporter-scraped");

  private URI metrics;

  @BeforeAll
  void startTheExporter() {
    metrics =
        ExporterJarIT.startServe(
            exporter,
            new ProcessBuilder(
                ExporterJarIT.javaCommand(),
                "-jar",
                Tools.builtFile("obskit.exporter.jar").toString(),
                "serve",
                "--port",
                "0",
                "--bind",
                "127.0.0.1",
                "--simulate",
                "overloaded"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  void prometheusScrapesTheExporterWithoutErrorAndStoresItsSeries(PrometheusRelease release)
      throws IOException {
    try (Processes processes =
        new Processes("exporter-scraped-" + release.name().toLowerCase(Locale.ROOT))) {
      Path config =
          Files.writeString(
              processes.directory().resolve("prometheus.yml"),
              """
              global:
                scrape_interval: 5s
                scrape_timeout: 5s
              scrape_configs:
                - job_name: passenger
                  static_configs:
                    - targets: ["%s"]
              """
                  .formatted(metrics.getAuthority()));
      URI prometheus = URI.create("http://127.0.0.1:" + Ports.free());
      Processes.Started started =
          processes.start(
              "prometheus",
              List.of(
                  release.prometheus(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + processes.directory().resolve("tsdb"),
                  "--web.listen-address=" + prometheus.getAuthority()));
      started.awaitOk(prometheus.resolve("/-/ready"), Waits.PROCESS);
      URI query =
          prometheus.resolve(
              "/api/v1/query?query="
                  + URLEncoder.encode(
                      "passenger_up{job=\"passenger\"} == 1", StandardCharsets.UTF_8));
      started.awaitUntil(
          Waits.CONDITION,
          () -> Http.get(query).body().contains("\"__name__\":\"passenger_up\""),
          "passenger_up == 1 scraped from the exporter");
      assertThat(Http.get(prometheus.resolve("/api/v1/targets")).body())
          .contains("\"health\":\"up\"", "\"lastError\":\"\"")
          .doesNotContain("\"health\":\"down\"");
    }
  }
}
