package io.github.obskit.passenger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Ports;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Promtool;
import io.github.obskit.e2e.RealPassenger;
import io.github.obskit.e2e.Tools;
import io.github.obskit.e2e.Waits;
import io.github.obskit.passenger.metrics.Exposition;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The built -exporter jar against a real Phusion Passenger (Debian's package, Standalone with the
 * builtin engine): textfile and serve over the core API socket, numbers checked against the running
 * processes, counters that grow with real requests, and an honest {@code passenger_up 0} once
 * Passenger stops.
 */
class ExporterOnRealPassengerIT {

  private static final Pattern PID = Pattern.compile("\\{pid=\"(\\d+)\"");

  private static final Duration WAIT = Waits.CONDITION;

  @AutoClose private final Processes processes = new Processes("exporter-on-real-passenger");

  @AutoClose private final RealPassenger passenger = new RealPassenger(processes);

  private final Path jar = Tools.builtFile("obskit.exporter.jar");

  @Test
  void exportsTheRunningProcessesFollowsRequestsAndReportsDownOncePassengerStops()
      throws IOException {
    int appPort = Ports.free();
    RealPassenger.Instance app = passenger.start("app", 2, appPort);

    // The core API answers before both processes have spawned and their metrics are collected.
    Exposition textfile =
        await("two processes with their memory")
            .atMost(WAIT)
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> Exposition.of(exporter("textfile", "--socket").stdout()),
                (exposition) -> exposition.seriesOf("passenger_process_memory_bytes").size() == 2);
    List<Long> running = app.applicationPids();
    assertThat(textfile.value("passenger_up")).isEqualTo(1.0);
    assertThat(textfile.value("passenger_info{version=\"" + passenger.version() + "\"}"))
        .isEqualTo(1.0);
    assertThat(textfile.value("passenger_processes")).isEqualTo(2.0);
    assertThat(pids(textfile.seriesOf("passenger_process_sessions"))).isEqualTo(running);
    for (String series : textfile.seriesOf("passenger_process_memory_bytes")) {
      long pid = pids(List.of(series)).get(0);
      // More than 1 MiB (KB were converted to bytes) and at most the process's RSS.
      assertThat(textfile.value(series))
          .as("%s against ps' RSS of %d bytes", series, rssBytes(pid))
          .isGreaterThan(1024 * 1024)
          .isLessThanOrEqualTo(rssBytes(pid) * 1.1);
    }
    assertThat(textfile.samples().keySet()).noneMatch((series) -> series.contains("instance="));

    URI url = startServe("--port", "0", "--bind", "127.0.0.1", "--socket", "--cache-ttl", "1s");
    double before = processedSum(Http.get(url).body());
    for (int i = 0; i < 20; i++) {
      assertThat(Http.get(URI.create("http://127.0.0.1:" + appPort + "/")).statusCode())
          .isEqualTo(200);
    }
    // The exporter answers from its 1 s cache: scrape until a read after the requests shows them.
    String after =
        await("processed_total to show the 20 requests")
            .atMost(Duration.ofSeconds(10))
            .until(() -> Http.get(url).body(), (body) -> processedSum(body) >= before + 20);
    Promtool.assertLintFree(processes, "served exposition", after);

    app.stop();
    Processes.Finished down = exporter("textfile", "--socket");
    assertThat(down.exitCode()).as(down.stderr()).isEqualTo(1);
    Exposition stopped = Exposition.of(down.stdout());
    assertThat(stopped.value("passenger_up")).isEqualTo(0.0);
    assertThat(stopped.value("passenger_scrape_errors_total{reason=\"no_instance\"}"))
        .isEqualTo(1.0);
    Exposition served =
        await("serve to read the stopped instance")
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> Exposition.of(Http.get(url).body()),
                (exposition) -> Double.valueOf(0.0).equals(exposition.value("passenger_up")));
    assertThat(served.names()).noneMatch((name) -> name.startsWith("passenger_process_"));
  }

  private Processes.Finished exporter(String... arguments) {
    List<String> command =
        new ArrayList<>(List.of(ExporterJarIT.javaCommand(), "-jar", jar.toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(passenger.environment());
    return processes.run(Duration.ofSeconds(60), builder);
  }

  private URI startServe(String... arguments) {
    List<String> command =
        new ArrayList<>(List.of(ExporterJarIT.javaCommand(), "-jar", jar.toString(), "serve"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(passenger.environment());
    return ExporterJarIT.startServe(processes, builder);
  }

  private static List<Long> pids(Iterable<String> series) {
    List<Long> pids = new ArrayList<>();
    for (String one : series) {
      Matcher pid = PID.matcher(one);
      assertThat(pid.find()).as("pid label first in %s", one).isTrue();
      pids.add(Long.parseLong(pid.group(1)));
    }
    return pids.stream().sorted().toList();
  }

  private static double processedSum(String exposition) {
    return Exposition.of(exposition).seriesOf("passenger_process_processed_total").stream()
        .mapToDouble(Exposition.of(exposition)::value)
        .sum();
  }

  private static long rssBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new AssertionError("no VmRSS for pid " + pid);
  }
}
