package io.github.obskit.passenger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Promtool;
import io.github.obskit.e2e.Tools;
import io.github.obskit.e2e.Waits;
import io.github.obskit.passenger.metrics.Exposition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built -exporter jar as a user runs it, and the golden files, through {@code promtool check
 * metrics}: every exposition parses with no lint finding.
 */
class ExporterJarIT {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

  static final Pattern PRINTED_URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/metrics");

  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  @AutoClose private final Processes processes = new Processes("exporter-jar");

  private final Path jar = Tools.builtFile("obskit.exporter.jar");

  static Stream<Path> goldenFiles() throws IOException {
    try (Stream<Path> files = Files.list(GOLDEN)) {
      List<Path> golden = files.filter((file) -> file.toString().endsWith(".prom")).toList();
      assertThat(golden).as("golden .prom files in %s", GOLDEN).isNotEmpty();
      return golden.stream();
    }
  }

  static Stream<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURES)) {
      return files.filter((file) -> file.toString().endsWith(".xml")).toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void everyGoldenFilePassesPromtoolAndCarriesNoInstanceLabel(Path golden) throws IOException {
    String text = Files.readString(golden);
    Promtool.assertLintFree(processes, golden.getFileName().toString(), text);
    assertThat(text)
        .as("%s: the scraper adds instance, never the exporter", golden)
        .doesNotContain("instance=");
  }

  @Test
  void theReadFailureGoldenReportsPassengerDown() throws IOException {
    Exposition failure = Exposition.of(Files.readString(GOLDEN.resolve("read-failure.prom")));
    assertThat(failure.value("passenger_up")).isEqualTo(0.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"normal", "overloaded"})
  void textfileOfASimulationPassesPromtool(String scenario) {
    Processes.Finished textfile = exporter("textfile", "--simulate", scenario);
    assertThat(textfile.exitCode()).as(textfile.stderr()).isZero();
    Promtool.assertLintFree(processes, "textfile --simulate " + scenario, textfile.stdout());
  }

  @Test
  void theOverloadedSimulationExposesAFullPoolOfProcesses() {
    Processes.Finished textfile = exporter("textfile", "--simulate", "overloaded");
    assertThat(Exposition.of(textfile.stdout()).seriesOf("passenger_process_memory_bytes"))
        .hasSizeGreaterThanOrEqualTo(12);
  }

  // promtool passes an empty exposition: each capture must also read as a healthy status.
  @ParameterizedTest
  @MethodSource("fixtures")
  void textfileOfEachCaptureIsAHealthyStatusWithProcessSeries(Path fixture) {
    Processes.Finished textfile = exporter("textfile", "--file", fixture.toString());
    assertThat(textfile.exitCode()).as(textfile.stderr()).isZero();
    Exposition exposition = Exposition.of(textfile.stdout());
    assertThat(exposition.value("passenger_up")).isEqualTo(1.0);
    assertThat(exposition.seriesOf("passenger_process_processed_total")).isNotEmpty();
    Promtool.assertLintFree(
        processes, "textfile --file " + fixture.getFileName(), textfile.stdout());
  }

  @Test
  void aFailedReadExitsOnePrintsPassengerDownAndNamesTheCause() {
    Path missing = processes.directory().resolve("missing.xml");
    Processes.Finished textfile = exporter("textfile", "--file", missing.toString());
    assertThat(textfile.exitCode()).isEqualTo(1);
    assertThat(Exposition.of(textfile.stdout()).value("passenger_up")).isEqualTo(0.0);
    assertThat(textfile.stderr()).contains("cannot read the Passenger status");
    Promtool.assertLintFree(processes, "textfile of a failed read", textfile.stdout());
  }

  @Test
  void anUnknownOptionExitsTwoNamingIt() {
    Processes.Finished textfile = exporter("textfile", "--no-such-option");
    assertThat(textfile.exitCode()).isEqualTo(2);
    assertThat(textfile.stderr())
        .containsIgnoringCase("unknown option")
        .contains("--no-such-option");
  }

  @Test
  void serveAnswersTheTextFormatAndNegotiatesOpenMetrics() {
    URI url = startServe("serve", "--port", "0", "--bind", "127.0.0.1", "--simulate", "overloaded");
    HttpResponse<String> text = Http.get(url, "text/plain");
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.headers().firstValue("Content-Type"))
        .hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    Promtool.assertLintFree(processes, "GET /metrics", text.body());
    HttpResponse<String> openMetrics = Http.get(url, "application/openmetrics-text; version=1.0.0");
    assertThat(openMetrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying((type) -> assertThat(type).startsWith("application/openmetrics-text"));
    assertThat(openMetrics.body().strip()).endsWith("# EOF");
  }

  private Processes.Finished exporter(String... arguments) {
    return processes.run(RUN_TIMEOUT, command(arguments));
  }

  private URI startServe(String... arguments) {
    return startServe(processes, new ProcessBuilder(command(arguments)));
  }

  private List<String> command(String... arguments) {
    List<String> command = new ArrayList<>(List.of(javaCommand(), "-jar", jar.toString()));
    command.addAll(List.of(arguments));
    return command;
  }

  static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Starts the exporter's serve command and returns the URL it prints once it listens. */
  static URI startServe(Processes processes, ProcessBuilder command) {
    Processes.Started serve = processes.start("serve", command);
    serve.awaitUntil(
        Waits.PROCESS,
        () -> PRINTED_URL.matcher(serve.output()).find(),
        "a printed http://127.0.0.1:<port>/metrics");
    Matcher url = PRINTED_URL.matcher(serve.output());
    assertThat(url.find()).isTrue();
    return URI.create(url.group());
  }
}
