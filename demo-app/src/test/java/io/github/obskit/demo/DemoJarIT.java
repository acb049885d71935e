package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Promtool;
import io.github.obskit.e2e.Tools;
import io.github.obskit.e2e.Waits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built exec jar as a user runs it: the API docs rendered by a real headless Chromium, and the
 * load scenario of bin/load-test.sh (ApacheBench) counted in /metrics.
 */
@TestInstance(Lifecycle.PER_CLASS)
class DemoJarIT {

  private static final Path SCREENSHOT = Path.of("target", "docs-screenshot.png");

  private static final Pattern TOMCAT_PORT = Pattern.compile("Tomcat started on port (\\d+)");

  @AutoClose private final Processes processes = new Processes("demo-jar");

  private URI base;

  @BeforeAll
  void startTheDemo() {
    // The demo binds a port of the kernel's choice and logs it: no other process can take it
    // between the choice and the bind.
    Processes.Started demo =
        processes.startJar(
            "demo",
            Tools.builtFile("obskit.demo.jar"),
            List.of("--server.address=127.0.0.1", "--server.port=0"));
    demo.awaitUntil(
        Waits.PROCESS,
        () -> TOMCAT_PORT.matcher(demo.output()).find(),
        "a logged \"Tomcat started on port <port>\"");
    Matcher port = TOMCAT_PORT.matcher(demo.output());
    assertThat(port.find()).isTrue();
    base = URI.create("http://127.0.0.1:" + port.group(1));
    demo.awaitOk(base.resolve("/actuator/health/readiness"), Waits.PROCESS);
  }

  @Test
  void chromiumRendersTheOpenApiDocumentOnTheDocsPage() {
    String title =
        JsonMapper.builder()
            .build()
            .readTree(Http.get(base.resolve("/docs/openapi.json")).body())
            .path("info")
            .path("title")
            .asString("");
    assertThat(title).isNotBlank();
    // Text that exists only in /docs/openapi.json, not in the HTML page: Scalar rendered it.
    assertThat(browse("--dump-dom", base.resolve("/docs").toString()))
        .contains(">" + title + "<")
        .contains("status codes and delays on demand")
        .contains("Answer with the given status code");
  }

  @Test
  void chromiumSavesAScreenshotOfTheDocsPage() throws IOException {
    Files.deleteIfExists(SCREENSHOT);
    browse("--screenshot=" + SCREENSHOT.toAbsolutePath(), base.resolve("/docs").toString());
    assertThat(SCREENSHOT).isNotEmptyFile();
    byte[] header = new byte[8];
    System.arraycopy(Files.readAllBytes(SCREENSHOT), 0, header, 0, 8);
    assertThat(HexFormat.of().formatHex(header)).as("PNG signature").isEqualTo("89504e470d0a1a0a");
  }

  @Test
  void theLoadScriptRefusesABaseUrlWithoutAScheme() {
    Processes.Finished refused = loadTest("localhost:1");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("must start with http://");
  }

  @Test
  void theQuickLoadScenarioRunsWithoutFailuresAndItsConflictsAreCountedByRoute()
      throws IOException {
    Tools.require("ab", "apache2-utils");
    Processes.Finished run = loadTest("--quick", base.toString());
    assertThat(run.exitCode()).as(run.output()).isZero();
    // Columns: scenario conc done failed non-2xx wall_s req/s p50_ms p99_ms max_ms.
    List<String[]> rows =
        run.stdout()
            .lines()
            .map((line) -> line.trim().split("\\s+"))
            .filter((columns) -> columns.length >= 10 && !columns[0].equals("scenario"))
            .toList();
    assertThat(rows).as(run.stdout()).hasSize(6);
    for (String[] row : rows) {
      int columns = row.length;
      String done = row[columns - 8];
      assertThat(row[columns - 7]).as("failed requests of %s", row[0]).isEqualTo("0");
      boolean errorScenario = List.of("400", "409", "500").contains(row[0]);
      assertThat(row[columns - 6])
          .as("non-2xx answers of %s", row[0])
          .isEqualTo(errorScenario ? done : "0");
    }
    assertThat(Http.get(base.resolve("/metrics")).body().lines())
        .anySatisfy(
            (line) ->
                assertThat(line)
                    .startsWith("http_server_requests_seconds_count{")
                    .contains("status=\"409\"")
                    .contains("uri=\"/status/{status_code}\""));
  }

  @Test
  void thePassengerScrapeHasNoLintProblem() {
    Promtool.assertLintFree(
        processes, "passenger_metrics", Http.get(base.resolve("/passenger_metrics")).body());
  }

  private Processes.Finished loadTest(String... arguments) {
    List<String> command = new ArrayList<>(List.of("bash", "bin/load-test.sh"));
    command.addAll(List.of(arguments));
    return processes.run(Duration.ofMinutes(5), command);
  }

  private String browse(String... arguments) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Tools.require("chromium", "chromium"),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + processes.directory().resolve("chromium-profile"),
                "--virtual-time-budget=5000",
                "--window-size=1280,900"));
    command.addAll(List.of(arguments));
    Processes.Finished browser = processes.run(Duration.ofMinutes(2), command);
    assertThat(browser.exitCode()).as("chromium: %s", browser.stderr()).isZero();
    return browser.stdout();
  }
}
