package io.github.obskit.passenger.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} in a JVM of its own, paused with {@code SIGSTOP} as a long GC pause, CPU throttling
 * or a debugger pauses it. Only then does the listen backlog show, without a clock: nothing
 * accepts, so the kernel completes the handshake of backlog + 1 connections and drops the SYN of
 * any more. While the exporter runs, one thread accepts connections whatever the others are doing;
 * an overflow then only delays a client by a SYN retry (1 s), which only a clock could see.
 */
class PausedExporterTests {

  /** More than a backlog of 16 queues, fewer than one of 128. */
  private static final int SCRAPERS = 100;

  /**
   * Never reached by a connection the kernel queues (microseconds); one whose SYN it drops waits
   * for the pause to end, which never comes while the test waits.
   */
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private static final Pattern PRINTED_ADDRESS =
      Pattern.compile("http://(127\\.0\\.0\\.1):(\\d+)/metrics");

  @Test
  void scrapersThatConnectWhileTheExporterIsPausedAreAllAnsweredWhenItResumes() throws Exception {
    Process exporter =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PassengerMetricsCli.class.getName(),
                "serve",
                "--simulate",
                "--port",
                "0",
                "--bind",
                "127.0.0.1")
            .redirectErrorStream(true)
            .start();
    List<Socket> scrapers = new ArrayList<>();
    try {
      InetSocketAddress address = printedAddress(exporter);
      signal(exporter, "STOP");
      int queued = 0;
      for (int i = 0; i < SCRAPERS; i++) {
        Socket scraper = new Socket();
        scrapers.add(scraper);
        try {
          scraper.connect(address, CONNECT_TIMEOUT_MILLIS);
        } catch (SocketTimeoutException ex) {
          break;
        }
        scraper
            .getOutputStream()
            .write(
                "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(UTF_8));
        queued++;
      }
      assertThat(queued)
          .as("connections the kernel queued for the paused exporter")
          .isEqualTo(SCRAPERS);

      signal(exporter, "CONT");
      for (Socket scraper : scrapers) {
        scraper.setSoTimeout(30_000);
        assertThat(new String(scraper.getInputStream().readAllBytes(), UTF_8))
            .startsWith("HTTP/1.1 200 ")
            .contains("passenger_up 1.0");
      }
    } finally {
      for (Socket scraper : scrapers) {
        scraper.close();
      }
      // SIGKILL ends a stopped process too.
      exporter.destroyForcibly();
      exporter.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static InetSocketAddress printedAddress(Process exporter) throws Exception {
    BufferedReader output =
        new BufferedReader(new InputStreamReader(exporter.getInputStream(), UTF_8));
    Matcher printed =
        CompletableFuture.supplyAsync(
                () -> firstMatch(output), (task) -> new Thread(task, "exporter-output").start())
            .get(60, TimeUnit.SECONDS);
    return new InetSocketAddress(printed.group(1), Integer.parseInt(printed.group(2)));
  }

  private static Matcher firstMatch(BufferedReader output) {
    StringBuilder lines = new StringBuilder();
    try {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        Matcher matcher = PRINTED_ADDRESS.matcher(line);
        if (matcher.find()) {
          return matcher;
        }
        lines.append(line).append('\n');
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    throw new AssertionError("serve exited without printing its URL:\n" + lines);
  }

  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + process.pid()).start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0)
        .as("kill -%s %d", signal, process.pid())
        .isTrue();
  }
}
