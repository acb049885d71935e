package io.github.obskit.passenger.cli;

import io.github.obskit.passenger.metrics.PassengerMetrics;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusParser;
import io.github.obskit.passenger.status.PassengerStatusXml;
import io.github.obskit.passenger.status.UntrustedText;
import io.github.obskit.passenger.status.source.CachingStatusSource;
import io.github.obskit.passenger.status.source.CommandStatusSource;
import io.github.obskit.passenger.status.source.CoreApiStatusSource;
import io.github.obskit.passenger.status.source.FileStatusSource;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource.Scenario;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command-line tool and standalone Prometheus exporter for Passenger hosts that run no Java
 * application: {@code textfile} prints the metrics once (node_exporter's textfile collector),
 * {@code serve} answers {@code GET /metrics}, {@code xml} prints the status document. The metric
 * names are those of {@link PassengerMetrics}, so dashboards and alerts work unchanged.
 *
 * <p>Exit codes: 0 success, 1 the status could not be read (the metrics are still printed, with
 * {@code passenger_up 0}), or {@code serve} cannot listen, or {@code textfile} cannot write its
 * output, 2 usage error.
 */
public final class PassengerMetricsCli {

  /** Exit code of a successful run. */
  public static final int OK = 0;

  /**
   * Exit code when the Passenger status could not be read, {@code serve} cannot listen on its
   * address, or {@code textfile} cannot write its output.
   */
  public static final int FAILED = 1;

  /** Exit code of a usage error. */
  public static final int USAGE = 2;

  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  static final String OPENMETRICS_FORMAT =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private static final int DEFAULT_PORT = 9149;

  // Held in a field: JUL keeps loggers weakly, and a collected logger would forget its level.
  private static final Logger QUIET_BINDER_LOG = Logger.getLogger(PassengerMetrics.class.getName());

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

  // Longer waits or caches serve no scrape, and far longer ones overflow the nanoseconds the
  // cache counts in.
  static final Duration MAX_DURATION = Duration.ofHours(1);

  static final String USAGE_TEXT =
      """
      Usage: passenger-metrics <command> [options]

      Commands:
        textfile   print the Prometheus metrics once (for node_exporter's textfile collector)
        serve      serve the metrics at http://BIND:PORT/metrics
        xml        print the status as Passenger's XML document

      Status source (at most one; default --socket):
        --socket [NAME|DIR]         core API of the Passenger instance: the only one running, the
                                    one with that name, or the instance directory (needs read
                                    access to it: run as root or as the Passenger user)
        --command "CMD"             run a command printing the XML
                                    (e.g. "passenger-status --show=xml")
        --file PATH                 read the XML from a file
        --stdin                     read the XML from standard input (textfile, xml)
        --simulate [normal|overloaded]
                                    a simulated instance with three applications

      Options:
        --output PATH               textfile: write to PATH atomically (mode 0644) instead of
                                    stdout
        --port PORT                 serve: port to listen on (default 9149; 0 picks a free one)
        --bind ADDRESS              serve: address to listen on (default 0.0.0.0)
        --timeout DURATION          longest wait for the status (default 5s; e.g. 500ms, 10s, 1m)
        --cache-ttl DURATION        serve: how long one read is shared by scrapes (default 5s)
                                    (durations are positive and at most 1h)
        --no-per-process            textfile, serve: leave out the passenger_process_* series
        -h, --help                  show this help

      Exit codes: 0 ok, 1 the status could not be read (textfile still prints passenger_up 0),
      serve cannot listen or textfile cannot write its output, 2 usage error.
      """;

  private final InputStream in;

  private final PrintStream out;

  private final PrintStream err;

  private final CountDownLatch stop = new CountDownLatch(1);

  /**
   * Creates a CLI on the given streams.
   *
   * @param in standard input, for {@code --stdin}
   * @param out standard output
   * @param err standard error
   */
  public PassengerMetricsCli(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the CLI and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    // A user who configures java.util.logging keeps that configuration.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null
        && System.getProperty("java.util.logging.config.file") == null) {
      for (Handler handler : Logger.getLogger("").getHandlers()) {
        handler.setFormatter(new UtcLogFormatter());
      }
    }
    PassengerMetricsCli cli = new PassengerMetricsCli(System.in, System.out, System.err);
    Runtime.getRuntime().addShutdownHook(new Thread(cli::stop, "passenger-metrics-shutdown"));
    System.exit(cli.run(args));
  }

  /**
   * Runs one command; {@code serve} returns only after {@link #stop()}.
   *
   * @param args the command line
   * @return the exit code
   */
  public int run(String... args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (UsageException ex) {
      this.err.println("passenger-metrics: " + ex.getMessage());
      this.err.println();
      this.err.print(USAGE_TEXT);
      return USAGE;
    }
    if (options.help) {
      this.out.print(USAGE_TEXT);
      return OK;
    }
    try {
      return switch (options.command) {
        case "textfile" -> textfile(options);
        case "serve" -> serve(options);
        case "xml" -> xml(options);
        default -> throw new IllegalStateException(options.command);
      };
    } catch (UsageException ex) {
      this.err.println("passenger-metrics: " + ex.getMessage());
      return USAGE;
    } catch (IOException | UncheckedIOException ex) {
      this.err.println("passenger-metrics: " + ex.getMessage());
      return FAILED;
    }
  }

  /** Stops a running {@code serve}. */
  public void stop() {
    this.stop.countDown();
  }

  private int textfile(Options options) throws IOException, UsageException {
    // One run, one read: the failure is reported once below, not also by the binder's state log.
    QUIET_BINDER_LOG.setLevel(Level.OFF);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (PassengerMetrics metrics = metrics(options, Duration.ofMinutes(1))) {
      metrics.bindTo(registry);
      metrics.refresh();
      String exposition = registry.scrape(TEXT_FORMAT);
      if (options.output != null) {
        try {
          writeAtomically(options.output, exposition);
        } catch (IOException ex) {
          throw new IOException("cannot write " + options.output + ": " + describe(ex), ex);
        }
      } else {
        this.out.print(exposition);
        this.out.flush();
      }
      return metrics
          .lastFailure()
          .map(
              failure -> {
                this.err.println(failureMessage(failure));
                return FAILED;
              })
          .orElse(OK);
    }
  }

  private int xml(Options options) throws UsageException {
    try (CachingStatusSource source =
        new CachingStatusSource(source(options), Duration.ZERO, options.timeout)) {
      this.out.print(PassengerStatusXml.write(source.read()));
      this.out.flush();
      return OK;
    } catch (PassengerStatusException ex) {
      this.err.println(failureMessage(ex));
      return FAILED;
    }
  }

  private int serve(Options options) throws IOException, UsageException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (PassengerMetrics metrics = metrics(options, options.cacheTtl);
        ScrapeServer server = listen(options, metrics, registry)) {
      InetSocketAddress address = server.address();
      this.out.printf(
          "passenger-metrics: serving http://%s:%d/metrics (source: %s)%n",
          address.getHostString(), address.getPort(), options.sourceDescription());
      this.out.flush();
      this.stop.await();
      return OK;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return OK;
    }
  }

  private static ScrapeServer listen(
      Options options, PassengerMetrics metrics, PrometheusMeterRegistry registry)
      throws IOException {
    metrics.bindTo(registry);
    InetSocketAddress address = new InetSocketAddress(options.bind, options.port);
    try {
      return ScrapeServer.start(
          address, registry.getPrometheusRegistry(), metrics::refresh, options.timeout);
    } catch (IOException ex) {
      String host = address.getHostString();
      throw new IOException(
          "cannot listen on "
              + (host.contains(":") ? "[" + host + "]" : host)
              + ":"
              + address.getPort()
              + ": "
              + describe(ex),
          ex);
    }
  }

  /** The reason of a failed I/O operation, in words: the JDK names some only by their class. */
  private static String describe(IOException ex) {
    if (ex instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (ex instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (ex instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
      return fileSystem.getReason();
    }
    return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
  }

  private PassengerMetrics metrics(Options options, Duration cacheTtl) throws UsageException {
    return PassengerMetrics.builder(source(options))
        .perProcess(options.perProcess)
        .cacheTtl(cacheTtl)
        .timeout(options.timeout)
        // Every command reads right before it renders; a schedule would only read in between.
        .scheduledReads(false)
        .build();
  }

  private PassengerStatusSource source(Options options) throws UsageException {
    PassengerStatusParser parser = new PassengerStatusParser();
    return switch (options.source) {
      case "file" -> new FileStatusSource(Path.of(options.sourceArgument));
      case "stdin" -> () -> parser.parse(this.in);
      case "command" -> new CommandStatusSource(split(options.sourceArgument), options.timeout);
      case "simulate" ->
          new SimulatedStatusSource(
              Scenario.of(options.sourceArgument == null ? "normal" : options.sourceArgument));
      case "socket" -> socketSource(options.sourceArgument, options.timeout);
      default -> throw new IllegalStateException(options.source);
    };
  }

  private static PassengerStatusSource socketSource(String argument, Duration timeout) {
    if (argument != null && argument.contains("/")) {
      return CoreApiStatusSource.forInstanceDirectory(Path.of(argument), timeout);
    }
    return new CoreApiStatusSource(argument, timeout);
  }

  private static String failureMessage(PassengerStatusException failure) {
    return "passenger-metrics: cannot read the Passenger status ("
        + failure.reason().tagValue()
        + "): "
        + UntrustedText.quote(failure.getMessage());
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    // The textfile collector must never see a half-written file: write beside it, then rename.
    Path temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
    try {
      makeReadableByAll(temporary);
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException ex) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Gives the file mode 0644. A temporary file is created 0600, and the rename would make the
   * metrics unreadable to node_exporter, which runs as a user of its own. The target's previous
   * mode is not kept: a file written by an earlier version would stay 0600, and its owner and group
   * change with the rename anyway. The metrics are no secret; the directory controls access.
   */
  private static void makeReadableByAll(Path file) throws IOException {
    try {
      // Set after creating, because the mode given at creation is masked by the umask.
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException ex) {
      // Not a POSIX file system (Windows): the directory's access control list applies.
    }
  }

  /** Splits a command line on blanks, keeping single- or double-quoted parts together. */
  static List<String> split(String commandLine) throws UsageException {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : commandLine.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new UsageException("unbalanced quote in --command: " + commandLine);
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      throw new UsageException("--command needs a command line");
    }
    return words;
  }

  static Duration parseDuration(String option, String value) throws UsageException {
    Duration duration = parseUnbounded(option, value);
    if (duration.compareTo(MAX_DURATION) > 0) {
      throw tooLong(option, value);
    }
    return duration;
  }

  private static Duration parseUnbounded(String option, String value) throws UsageException {
    Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (matcher.matches()) {
      String unit = (matcher.group(2) != null) ? matcher.group(2) : "s";
      try {
        long amount = Long.parseLong(matcher.group(1));
        return switch (unit) {
          case "ms" -> Duration.ofMillis(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofSeconds(amount);
        };
      } catch (NumberFormatException | ArithmeticException ex) {
        // Only digits matched, so the number is beyond a long or the duration beyond Duration.
        throw tooLong(option, value);
      }
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException ex) {
      throw new UsageException(
          option + " expects a duration like 500ms, 10s or 1m, not '" + value + "'");
    }
  }

  private static UsageException tooLong(String option, String value) {
    return new UsageException(option + " must be at most 1h, not '" + value + "'");
  }

  /** A command line that cannot be run as given. */
  static final class UsageException extends Exception {

    UsageException(String message) {
      super(message);
    }
  }

  /** The parsed command line. */
  static final class Options {

    private static final List<String> COMMANDS = List.of("textfile", "serve", "xml");

    // Options that only some commands use: the others reject them rather than silently ignore
    // what the user asked for.
    private static final Map<String, List<String>> COMMANDS_OF_OPTION =
        Map.of(
            "--output", List.of("textfile"),
            "--port", List.of("serve"),
            "--bind", List.of("serve"),
            "--cache-ttl", List.of("serve"),
            "--no-per-process", List.of("textfile", "serve"));

    private final Set<String> given = new LinkedHashSet<>();

    String command;

    boolean help;

    String source = "socket";

    String sourceArgument;

    private String sourceOption;

    Path output;

    int port = DEFAULT_PORT;

    InetAddress bind;

    Duration timeout = PassengerMetrics.DEFAULT_TIMEOUT;

    Duration cacheTtl = PassengerMetrics.DEFAULT_CACHE_TTL;

    boolean perProcess = true;

    static Options parse(String[] args) throws UsageException {
      Options options = new Options();
      List<String> rest = new ArrayList<>(List.of(args));
      if (rest.isEmpty()) {
        throw new UsageException("missing command");
      }
      String first = rest.remove(0);
      if (first.equals("-h") || first.equals("--help") || first.equals("help")) {
        options.help = true;
        return options;
      }
      if (!COMMANDS.contains(first)) {
        throw new UsageException("unknown command '" + first + "'");
      }
      options.command = first;
      String bind = "0.0.0.0";
      while (!rest.isEmpty()) {
        String option = rest.remove(0);
        options.given.add(option);
        switch (option) {
          case "-h", "--help" -> options.help = true;
          case "--file" -> options.source(option, "file", required(option, rest));
          case "--command" -> options.source(option, "command", required(option, rest));
          case "--stdin" -> options.source(option, "stdin", null);
          case "--socket" -> options.source(option, "socket", optional(rest));
          case "--simulate" -> {
            options.source(option, "simulate", optional(rest));
            if (options.sourceArgument != null) {
              try {
                Scenario.of(options.sourceArgument);
              } catch (IllegalArgumentException ex) {
                throw new UsageException(ex.getMessage());
              }
            }
          }
          case "--output" -> options.output = Path.of(required(option, rest));
          case "--port" -> options.port = port(required(option, rest));
          case "--bind" -> bind = required(option, rest);
          case "--timeout" -> options.timeout = positive(option, required(option, rest));
          case "--cache-ttl" -> options.cacheTtl = positive(option, required(option, rest));
          case "--no-per-process" -> options.perProcess = false;
          default -> throw new UsageException("unknown option '" + option + "'");
        }
      }
      options.check(bind);
      return options;
    }

    private void check(String bindAddress) throws UsageException {
      for (String option : this.given) {
        List<String> commands = COMMANDS_OF_OPTION.getOrDefault(option, COMMANDS);
        if (!commands.contains(this.command)) {
          throw new UsageException(
              option + " applies to " + String.join(" and ", commands) + " only");
        }
      }
      if (this.source.equals("stdin") && this.command.equals("serve")) {
        throw new UsageException("serve reads the status on every scrape; --stdin cannot");
      }
      try {
        this.bind = InetAddress.getByName(bindAddress);
      } catch (UnknownHostException ex) {
        throw new UsageException("--bind: unknown address '" + bindAddress + "'");
      }
    }

    private void source(String option, String kind, String argument) throws UsageException {
      if (this.sourceOption != null) {
        throw new UsageException(
            "choose one status source, not both " + this.sourceOption + " and " + option);
      }
      this.sourceOption = option;
      this.source = kind;
      this.sourceArgument = argument;
    }

    String sourceDescription() {
      return (this.sourceArgument != null) ? this.source + " " + this.sourceArgument : this.source;
    }

    private static String required(String option, List<String> rest) throws UsageException {
      if (rest.isEmpty() || rest.get(0).startsWith("--")) {
        throw new UsageException(option + " needs a value");
      }
      return rest.remove(0);
    }

    private static String optional(List<String> rest) {
      return (!rest.isEmpty() && !rest.get(0).startsWith("-")) ? rest.remove(0) : null;
    }

    private static int port(String value) throws UsageException {
      try {
        int port = Integer.parseInt(value);
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException ex) {
        // reported below
      }
      throw new UsageException("--port expects a number from 0 to 65535, not '" + value + "'");
    }

    private static Duration positive(String option, String value) throws UsageException {
      Duration duration = parseDuration(option, value);
      if (duration.isZero() || duration.isNegative()) {
        throw new UsageException(option + " must be positive, not '" + value + "'");
      }
      return duration;
    }
  }
}
