package io.github.obskit.passenger.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.obskit.e2e.Waits;
import io.github.obskit.passenger.cli.ContentNegotiation.Format;
import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class PassengerMetricsCliTests {

  private static final Path FIXTURE =
      Path.of("src/test/resources/fixtures/ibotta_passenger_datadog_monitor_passenger_6.1.2.xml");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @TempDir Path temp;

  @Test
  void textfilePrintsTheExpositionOfAFile() {
    int exit = run(InputStream.nullInputStream(), "textfile", "--file", FIXTURE.toString());

    assertThat(exit).isZero();
    assertThat(out())
        .contains("passenger_up 1.0")
        .contains(
            "passenger_process_memory_bytes{pid=\"12529\",supergroup=\"/home/acme/application"
                + " (staging)\"} 4.96521216E8")
        .doesNotContain("instance=");
    assertThat(err()).isEmpty();
  }

  @Test
  void textfileReadsStandardInput() throws Exception {
    int exit = run(Files.newInputStream(FIXTURE), "textfile", "--stdin", "--no-per-process");

    assertThat(exit).isZero();
    assertThat(out()).contains("passenger_processes 3.0").doesNotContain("passenger_process_cpu");
  }

  @Test
  void textfileRunsACommand() throws Exception {
    Path script = this.temp.resolve("status.sh");
    Files.writeString(script, "#!/bin/sh\ncat '" + FIXTURE.toAbsolutePath() + "'\n");
    script.toFile().setExecutable(true);

    int exit = run(InputStream.nullInputStream(), "textfile", "--command", "sh '" + script + "'");

    assertThat(exit).as(err()).isZero();
    assertThat(out()).contains("passenger_info{version=\"6.1.2\"} 1");
  }

  @Test
  void textfileOfAnIdleInstanceLeavesOutThePoolMax() throws Exception {
    // What passenger-status prints for an empty pool when it has no admin rights.
    Path idle = this.temp.resolve("idle.txt");
    Files.writeString(idle, "Phusion Passenger(R) is currently not serving any applications.\n");

    int exit = run(InputStream.nullInputStream(), "textfile", "--file", idle.toString());

    assertThat(exit).isZero();
    assertThat(out())
        .contains("passenger_up 1.0")
        .contains("passenger_info{version=\"unknown\"} 1")
        .contains("passenger_processes 0.0")
        .doesNotContain("passenger_pool_max");
  }

  @Test
  void textfileOfAFailedReadPrintsUpZeroAndExitsOne() {
    Path missing = this.temp.resolve("missing.xml");

    int exit = run(InputStream.nullInputStream(), "textfile", "--file", missing.toString());

    assertThat(exit).isEqualTo(PassengerMetricsCli.FAILED);
    assertThat(out())
        .contains("passenger_up 0.0")
        .contains("passenger_scrape_errors_total{reason=\"io\"} 1.0");
    assertThat(err())
        .contains("cannot read the Passenger status (io)")
        .contains(missing.toString());
  }

  @Test
  void textfileWritesTheOutputFileAlsoOnFailure() throws Exception {
    Path output = this.temp.resolve("passenger.prom");
    Files.writeString(output, "stale");

    int exit =
        run(InputStream.nullInputStream(), "textfile", "--stdin", "--output", output.toString());

    assertThat(exit).isEqualTo(PassengerMetricsCli.FAILED);
    assertThat(Files.readString(output)).contains("passenger_up 0.0").doesNotContain("stale");
    assertThat(out()).isEmpty();
    try (var files = Files.list(this.temp)) {
      assertThat(files).containsExactly(output);
    }
  }

  @Test
  void textfileOutputIsReadableByNodeExporter() throws Exception {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX only");
    Path created = this.temp.resolve("created.prom");
    Path replaced = this.temp.resolve("replaced.prom");
    Files.writeString(replaced, "stale");
    Files.setPosixFilePermissions(replaced, PosixFilePermissions.fromString("rw-r--r--"));

    for (Path output : List.of(created, replaced)) {
      int exit =
          run(
              InputStream.nullInputStream(),
              "textfile",
              "--simulate",
              "--output",
              output.toString());

      assertThat(exit).isZero();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(output)))
          .as(output.toString())
          .isEqualTo("rw-r--r--");
    }
  }

  @Test
  void textfileNamesTheOutputItCannotWrite() {
    Path output = this.temp.resolve("missing").resolve("passenger.prom");

    int exit =
        run(InputStream.nullInputStream(), "textfile", "--simulate", "--output", output.toString());

    assertThat(exit).isEqualTo(PassengerMetricsCli.FAILED);
    assertThat(err())
        .isEqualTo(
            "passenger-metrics: cannot write "
                + output
                + ": no such file or directory"
                + System.lineSeparator());
  }

  @Test
  void textfileRefusesAnOutputThatNamesNoFile() throws Exception {
    for (String output : List.of("/", this.temp.toString())) {
      this.err.reset();

      int exit = run(InputStream.nullInputStream(), "textfile", "--simulate", "--output", output);

      assertThat(exit).as(output).isEqualTo(PassengerMetricsCli.USAGE);
      assertThat(err())
          .as(output)
          .startsWith("passenger-metrics: --output must name a file, not ")
          .contains(output)
          .contains("Usage: passenger-metrics textfile");
    }
  }

  @Test
  void textfileWritesAFileWhoseNameIsAtTheFileSystemsLimit() throws Exception {
    Path output = this.temp.resolve("p".repeat(250 - ".prom".length()) + ".prom");

    int exit =
        run(InputStream.nullInputStream(), "textfile", "--simulate", "--output", output.toString());

    assertThat(err()).isEmpty();
    assertThat(exit).isEqualTo(PassengerMetricsCli.OK);
    assertThat(Files.readString(output)).contains("passenger_up 1.0");
    try (var files = Files.list(this.temp)) {
      assertThat(files).containsExactly(output);
    }
  }

  @Test
  void serveNamesTheAddressItCannotListenOn() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());

      int exit =
          run(
              InputStream.nullInputStream(),
              "serve",
              "--simulate",
              "--bind",
              "127.0.0.1",
              "--port",
              port);

      assertThat(exit).isEqualTo(PassengerMetricsCli.FAILED);
      assertThat(err())
          .startsWith("passenger-metrics: cannot listen on 127.0.0.1:" + port + ": ")
          .contains("in use");
    }
  }

  @Test
  void simulateDefaultsToNormalAndAcceptsOverloaded() {
    assertThat(run(InputStream.nullInputStream(), "textfile", "--simulate")).isZero();
    String normal = out();
    this.out.reset();
    assertThat(run(InputStream.nullInputStream(), "textfile", "--simulate", "overloaded")).isZero();
    String overloaded = out();

    // Normal leaves room in the pool and nothing waits for it; overloaded fills it and queues.
    assertThat(sample(normal, "passenger_get_wait_list_size")).isZero();
    assertThat(sample(normal, "passenger_capacity_used"))
        .isLessThan(sample(normal, "passenger_pool_max"));
    assertThat(sample(overloaded, "passenger_get_wait_list_size")).isPositive();
    assertThat(sample(overloaded, "passenger_capacity_used"))
        .isEqualTo(sample(overloaded, "passenger_pool_max"));
  }

  @Test
  void xmlPrintsAPassengerDocumentThatParsesBack() throws Exception {
    int exit = run(InputStream.nullInputStream(), "xml", "--file", FIXTURE.toString());

    assertThat(exit).isZero();
    PassengerStatusParser parser = new PassengerStatusParser();
    PassengerStatus printed = parser.parse(out());
    assertThat(printed).isEqualTo(parser.parse(Files.newInputStream(FIXTURE)));
  }

  @Test
  void helpPrintsUsageAndExitsZero() {
    assertThat(run(InputStream.nullInputStream(), "--help")).isZero();
    assertThat(out()).contains("Usage: passenger-metrics").contains("textfile", "serve", "xml");
    this.out.reset();

    assertThat(run(InputStream.nullInputStream(), "textfile", "--help")).isZero();
    assertThat(out()).contains("Usage: passenger-metrics textfile").contains("--simulate");
    this.out.reset();

    assertThat(run(InputStream.nullInputStream(), "help", "serve")).isZero();
    assertThat(out()).contains("Usage: passenger-metrics serve").contains("--cache-ttl");
  }

  @Test
  void usageErrorsExitTwoWithAMessageAndTheUsage() {
    assertUsageError("unknown option '--bogus'", "textfile", "--bogus");
    assertUsageError("unknown command 'scrape'", "scrape");
    assertUsageError("missing command");
    assertUsageError(
        "--file=PATH, --stdin are mutually exclusive", "textfile", "--file", "x", "--stdin");
    assertUsageError(
        "Invalid value for option '--port': expects a number from 0 to 65535, not 'http'",
        "serve",
        "--port",
        "http");
    assertUsageError(
        "Invalid value for option '--timeout': expects a duration like 500ms, 10s or 1m, not 'soon'",
        "textfile",
        "--timeout",
        "soon");
    assertUsageError(
        "Invalid value for option '--timeout': must be at most 1h, not '99999999999999999999s'",
        "textfile",
        "--timeout",
        "99999999999999999999s");
    assertUsageError(
        "Invalid value for option '--timeout': must be at most 1h, not '9999999999999999m'",
        "textfile",
        "--timeout",
        "9999999999999999m");
    assertUsageError(
        "Invalid value for option '--cache-ttl': must be at most 1h, not 'PT61M'",
        "serve",
        "--cache-ttl",
        "PT61M");
    assertUsageError("Missing required parameter for option '--file'", "textfile", "--file");
    assertUsageError("unknown simulator scenario 'busy'", "textfile", "--simulate", "busy");
    assertUsageError("--stdin cannot", "serve", "--stdin");
    assertUsageError("--output applies to textfile only", "xml", "--simulate", "--output", "x");
    assertUsageError("--port applies to serve only", "textfile", "--simulate", "--port", "9149");
    assertUsageError("--bind applies to serve only", "xml", "--bind", "127.0.0.1");
    assertUsageError("--cache-ttl applies to serve only", "textfile", "--cache-ttl", "5s");
    assertUsageError(
        "--no-per-process applies to textfile and serve only", "xml", "--no-per-process");
  }

  @Test
  void serveAnswersMetricsWithContentNegotiationAndStops() throws Exception {
    try (Served served = serve("--simulate", "overloaded")) {
      URI metrics = served.metrics();
      HttpClient client = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

      HttpResponse<String> text =
          client.send(
              HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(text.statusCode()).isEqualTo(200);
      assertThat(text.headers().firstValue("Content-Type"))
          .hasValue(PassengerMetricsCli.TEXT_FORMAT);
      assertThat(text.body())
          .contains("passenger_up 1.0")
          .contains("# TYPE passenger_process_processed_total counter");

      HttpResponse<String> openMetrics =
          client.send(
              HttpRequest.newBuilder(metrics)
                  .header("Accept", "application/openmetrics-text; version=1.0.0")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(openMetrics.headers().firstValue("Content-Type"))
          .hasValue(PassengerMetricsCli.OPENMETRICS_FORMAT);
      assertThat(openMetrics.body())
          .contains("# TYPE passenger info\n")
          .contains("\npassenger_info{version=\"6.1.2\"} 1\n")
          .endsWith("# EOF\n");

      HttpResponse<String> notFound =
          client.send(
              HttpRequest.newBuilder(metrics.resolve("/nope")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(notFound.statusCode()).isEqualTo(404);
      HttpResponse<String> post =
          client.send(
              HttpRequest.newBuilder(metrics).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }
  }

  @Test
  void serveCountsACommandThatOutlivesTheTimeoutOnce() throws Exception {
    // The command gets the same timeout as the scrape's wait for it, so it is killed just after
    // the scrape gave up: one failed read, and a second timeout exception that arrives late.
    try (Served served = serve("--command", "sleep 100", "--timeout", "1s", "--cache-ttl", "1m")) {
      assertThat(served.scrape()).contains("passenger_scrape_errors_total{reason=\"timeout\"} 1.0");

      // Until the late exception arrives the duration is the timeout; then it is the read's own,
      // which includes killing the command.
      await()
          .atMost(Waits.CONDITION)
          .until(
              () -> sample(served.scrape(), "passenger_scrape_duration_seconds"),
              seconds -> seconds > 1.0);

      assertThat(served.scrape()).contains("passenger_scrape_errors_total{reason=\"timeout\"} 1.0");
    }
  }

  @Test
  void serveStillAnswersWhileClientsStallInTheMiddleOfTheirRequest() throws Exception {
    try (Served served = serve("--simulate")) {
      List<Socket> stalled = new ArrayList<>();
      try {
        // One more than the server has threads: without a bound on the request time each would
        // hold a thread forever, and the scrape below would queue behind them.
        for (int i = 0; i <= ScrapeServer.THREADS; i++) {
          Socket socket = new Socket(served.metrics().getHost(), served.metrics().getPort());
          stalled.add(socket);
          socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: loc".getBytes(UTF_8));
          socket.getOutputStream().flush();
        }

        assertThat(served.scrape()).contains("passenger_up 1.0");
        for (Socket socket : stalled) {
          assertThat(endedByTheServer(socket)).as("a stalled client ended by the server").isTrue();
        }
      } finally {
        for (Socket socket : stalled) {
          socket.close();
        }
      }
    }
  }

  @Test
  void serveCompressesWithGzipWhenTheScraperAcceptsIt() throws Exception {
    try (Served served = serve("--simulate")) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

      HttpResponse<byte[]> gzipped =
          client.send(
              HttpRequest.newBuilder(served.metrics()).header("Accept-Encoding", "gzip").build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
      assertThat(gzipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
      try (InputStream body = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
        assertThat(new String(body.readAllBytes(), UTF_8)).contains("passenger_up 1.0");
      }

      HttpResponse<String> plain =
          client.send(
              HttpRequest.newBuilder(served.metrics()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
      assertThat(plain.body()).contains("passenger_up 1.0");
    }
  }

  @Test
  void aScrapeWhileTheSourceHangsAnswersWithinTheTimeoutWithUpZero() throws Exception {
    Path fifo = this.temp.resolve("status.fifo");
    // Opening a named pipe that no one writes blocks: a source that hangs, not one that fails.
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
    try (Served served = serve("--file", fifo.toString(), "--timeout", "1s")) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(served.metrics()).timeout(Waits.HTTP).build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("passenger_up 0.0")
          .contains("passenger_scrape_errors_total{reason=\"timeout\"} 1.0");
    } finally {
      // Unblocks the reader thread still opening the pipe.
      try (var writer = Files.newOutputStream(fifo)) {
        writer.write("<info".getBytes(UTF_8));
      }
    }
  }

  /** Values naming no coding; a coding of semicolons only once threw and closed the connection. */
  @ParameterizedTest
  @ValueSource(strings = {";", ";;", ",;,", "; q=0", "=", ";gzip", ","})
  void aMalformedAcceptEncodingStillGetsAnAnswer(String acceptEncoding) throws Exception {
    try (Served served = serve("--simulate")) {
      String response =
          rawRequest(served, "GET /metrics HTTP/1.1", "Accept-Encoding: " + acceptEncoding);

      assertThat(response)
          .startsWith("HTTP/1.1 200 ")
          .doesNotContain("Content-Encoding")
          .contains("passenger_up 1.0");
    }
  }

  @Test
  void openMetricsRefusedWithWeightZeroGetsTheTextFormat() throws Exception {
    try (Served served = serve("--simulate")) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(served.metrics())
                      .header("Accept", "application/openmetrics-text;q=0")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue(PassengerMetricsCli.TEXT_FORMAT);
      assertThat(response.body()).doesNotContain("# EOF");
    }
  }

  @Test
  void acceptWeightsChooseTheFormat() {
    assertThat(ContentNegotiation.format(null)).hasValue(Format.TEXT);
    assertThat(ContentNegotiation.format("*/*")).hasValue(Format.TEXT);
    assertThat(
            ContentNegotiation.format(
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                    + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))
        .hasValue(Format.OPENMETRICS);
    assertThat(ContentNegotiation.format("application/openmetrics-text;q=0.2, text/plain;q=0.9"))
        .hasValue(Format.TEXT);
    assertThat(
            ContentNegotiation.format(
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                    + "encoding=delimited;q=0.9,text/plain;q=0.5"))
        .hasValue(Format.PROTOBUF);
    assertThat(ContentNegotiation.format("application/openmetrics-text;q=0")).hasValue(Format.TEXT);
    assertThat(ContentNegotiation.format("text/plain;q=0")).isEmpty();
    assertThat(ContentNegotiation.format(";,;q=x")).hasValue(Format.TEXT);
  }

  @Test
  void headAnswersWithTheHeadersOnlyAndNameFiltersSelectFamilies() throws Exception {
    try (Served served = serve("--simulate")) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> head =
          client.send(
              HttpRequest.newBuilder(served.metrics())
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();

      HttpResponse<String> filtered =
          client.send(
              HttpRequest.newBuilder(
                      served
                          .metrics()
                          .resolve("/metrics?name[]=passenger_up&name[]=passenger_processes"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(filtered.body())
          .contains("passenger_up 1.0", "passenger_processes ")
          .doesNotContain("passenger_process_cpu");
    }
  }

  @Test
  void headWithGzipAnswersHeadersOnlyAndLogsNothing() throws Exception {
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    capture.setLevel(Level.WARNING);
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try (Served served = serve("--simulate")) {
      for (String acceptEncoding : List.of("gzip", "identity")) {
        // Read until the server closes the connection, which it does after the handler returned:
        // whatever the handler logs is logged by then.
        String answer =
            rawRequest(served, "HEAD /metrics HTTP/1.1", "Accept-Encoding: " + acceptEncoding);

        assertThat(answer).as(acceptEncoding).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n");
      }
    } finally {
      root.removeHandler(capture);
    }
    assertThat(logged).extracting(LogRecord::getMessage).isEmpty();
    assertThat(err()).isEmpty();
  }

  @Test
  void nameFiltersSelectFamiliesByTheirExactNames() throws Exception {
    try (Served served = serve("--simulate")) {
      HttpClient client = HttpClient.newHttpClient();

      String up = get(client, served, "name[]=passenger_up");
      String counter = get(client, served, "name[]=passenger_process_processed_total");
      String info = get(client, served, "name[]=passenger_info");
      String prefix = get(client, served, "name[]=passenger_process");
      String byBaseName = get(client, served, "name[]=passenger_process_processed");

      assertThat(families(up)).containsExactly("passenger_up");
      assertThat(families(counter)).containsExactly("passenger_process_processed_total");
      assertThat(families(info)).containsExactly("passenger_info");
      assertThat(families(prefix)).isEmpty();
      assertThat(families(byBaseName)).containsExactly("passenger_process_processed_total");
    }
  }

  private static String get(HttpClient client, Served served, String query) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(served.metrics().resolve("/metrics?" + query)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The families of a text exposition, as its {@code # TYPE} lines name them. */
  private static List<String> families(String exposition) {
    return exposition
        .lines()
        .filter(line -> line.startsWith("# TYPE "))
        .map(line -> line.split(" ")[2])
        .toList();
  }

  /**
   * Each slow client holds a thread until the server cuts it, {@link ScrapeServer#MAX_REQUEST_TIME}
   * after its first bytes. A server that queues scrapes behind slow clients answers them only once
   * it has cut slow clients; this server answers them while every slow client is still held. A
   * round in which the server had cut some slow client before the scrapes were answered proves
   * neither (a loaded machine may take longer than the cut for a burst), so the test repeats the
   * round, bounded, until one shows the scrapes answered while all fifty are held; a server that
   * serialises requests behind slow clients never gives such a round.
   */
  @Test
  void aBurstOfScrapesIsAnsweredWhileFiftySlowClientsHoldConnections() throws Exception {
    try (Served served = serve("--simulate")) {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Waits.HTTP)
              .build();
      await()
          .atMost(Waits.CONDITION)
          .pollDelay(Duration.ZERO)
          .untilAsserted(() -> burstOfScrapesWhileFiftySlowClientsAreHeld(served, client));
    }
  }

  private static void burstOfScrapesWhileFiftySlowClientsAreHeld(Served served, HttpClient client)
      throws Exception {
    InetSocketAddress address =
        new InetSocketAddress(served.metrics().getHost(), served.metrics().getPort());
    List<SocketChannel> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        SocketChannel channel = SocketChannel.open(address);
        stalled.add(channel);
        channel.write(ByteBuffer.wrap("GET /metrics HTTP/1.1\r\nHost: loc".getBytes(UTF_8)));
      }

      List<CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        scrapes.add(
            client.sendAsync(
                HttpRequest.newBuilder(served.metrics()).timeout(Waits.HTTP).build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> scrape : scrapes) {
        HttpResponse<String> response = scrape.get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("passenger_up 1.0");
      }

      // Still held now means still held when the scrapes were answered: a cut is for good.
      assertThat(stalled.stream().filter(channel -> !heldByTheServer(channel)).count())
          .as("slow clients the server had already cut when the scrapes were answered")
          .isZero();
    } finally {
      for (SocketChannel channel : stalled) {
        channel.close();
      }
    }
  }

  @Test
  void gzipIsAcceptedUnlessItsWeightIsZero() {
    assertThat(ContentNegotiation.acceptsGzip(List.of("gzip"))).isTrue();
    assertThat(ContentNegotiation.acceptsGzip(List.of("deflate, GZIP;q=0.5"))).isTrue();
    assertThat(ContentNegotiation.acceptsGzip(List.of("identity", "x-gzip"))).isTrue();
    assertThat(ContentNegotiation.acceptsGzip(List.of("gzip;q=0"))).isFalse();
    assertThat(ContentNegotiation.acceptsGzip(List.of("gzip; q=0.000"))).isFalse();
    assertThat(ContentNegotiation.acceptsGzip(List.of("br, deflate"))).isFalse();
    assertThat(ContentNegotiation.acceptsGzip(null)).isFalse();
  }

  @Test
  void commandLinesSplitOnBlanksAndKeepQuotedParts() throws Exception {
    assertThat(SourceOptions.split("sudo -u app 'passenger-status' --show=xml \"my instance\""))
        .isEqualTo(List.of("sudo", "-u", "app", "passenger-status", "--show=xml", "my instance"));
    assertThatExceptionOfType(TypeConversionException.class)
        .isThrownBy(() -> SourceOptions.split("passenger-status 'oops"));
  }

  @Test
  void durationsAcceptUnitsAndIso() throws Exception {
    DurationConverter durations = new DurationConverter();
    assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(durations.convert("10")).isEqualTo(Duration.ofSeconds(10));
    assertThat(durations.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(durations.convert("PT3S")).isEqualTo(Duration.ofSeconds(3));
    assertThat(durations.convert("60m")).isEqualTo(DurationConverter.MAX_DURATION);
  }

  private void assertUsageError(String message, String... args) {
    this.out.reset();
    this.err.reset();

    int exit = run(InputStream.nullInputStream(), args);

    assertThat(exit).as(String.join(" ", args)).isEqualTo(PassengerMetricsCli.USAGE);
    assertThat(err()).contains(message).contains("Usage: passenger-metrics");
    assertThat(out()).isEmpty();
  }

  /** Starts {@code serve} on a free local port with the given options. */
  private Served serve(String... options) {
    PassengerMetricsCli cli = cli(InputStream.nullInputStream());
    List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--bind", "127.0.0.1"));
    args.addAll(List.of(options));
    // A thread of its own: serve blocks, and the common pool, which the JDK's HttpClient also uses,
    // has a single thread on two cores.
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> cli.run(args.toArray(String[]::new)),
            (task) -> new Thread(task, "passenger-metrics-serve").start());
    try {
      return new Served(cli, exit, URI.create(awaitUrl()));
    } catch (AssertionError ex) {
      cli.stop();
      throw ex;
    }
  }

  /** A running {@code serve}; closing stops it and checks that it exited cleanly. */
  private record Served(PassengerMetricsCli cli, CompletableFuture<Integer> exit, URI metrics)
      implements AutoCloseable {

    /** A scrape, which may have to sit out the server's cut of stalled clients first. */
    String scrape() throws Exception {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(this.metrics)
                  .timeout(Waits.HTTP.plus(ScrapeServer.MAX_REQUEST_TIME))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    }

    @Override
    public void close() throws Exception {
      this.cli.stop();
      assertThat(this.exit.get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
  }

  private String awaitUrl() {
    Pattern url = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/metrics");
    try {
      return await()
          .atMost(Waits.CONDITION)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                Matcher matcher = url.matcher(out());
                return matcher.find() ? matcher.group() : null;
              },
              Objects::nonNull);
    } catch (ConditionTimeoutException ex) {
      // An AssertionError, so that serve() stops the CLI; stderr says why it did not start.
      throw new AssertionError("serve did not print its URL; stderr: " + err(), ex);
    }
  }

  private int run(InputStream in, String... args) {
    return cli(in).run(args);
  }

  private PassengerMetricsCli cli(InputStream in) {
    return new PassengerMetricsCli(
        in,
        new PrintStream(this.out, true, StandardCharsets.UTF_8),
        new PrintStream(this.err, true, StandardCharsets.UTF_8));
  }

  /** Sends one request over a plain socket, headers as given, and returns the whole answer. */
  private static String rawRequest(Served served, String requestLine, String... headers)
      throws Exception {
    try (Socket socket = new Socket(served.metrics().getHost(), served.metrics().getPort())) {
      socket.setSoTimeout((int) Waits.HTTP.toMillis());
      StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: localhost\r\n");
      for (String header : headers) {
        request.append(header).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n");
      socket.getOutputStream().write(request.toString().getBytes(UTF_8));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), UTF_8);
    }
  }

  /**
   * Whether the server ends a connection (closes or resets it) within a bound far above its request
   * time; a server that held it for good would make this false, not hang the test.
   */
  private static boolean endedByTheServer(Socket socket) {
    try {
      socket.setSoTimeout((int) Waits.CONDITION.toMillis());
      socket.getInputStream().readAllBytes();
      return true;
    } catch (SocketTimeoutException ex) {
      return false;
    } catch (IOException ex) {
      return true;
    }
  }

  /** Whether the server still holds a connection: it has neither answered, closed nor reset it. */
  private static boolean heldByTheServer(SocketChannel channel) {
    try {
      channel.configureBlocking(false);
      return channel.read(ByteBuffer.allocate(1)) == 0;
    } catch (IOException ex) {
      return false;
    }
  }

  /** The value of a series without labels in a text exposition. */
  private static double sample(String exposition, String series) {
    return exposition
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .map(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample of " + series + " in:\n" + exposition));
  }

  private String out() {
    return this.out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return this.err.toString(StandardCharsets.UTF_8);
  }
}
