package io.github.obskit.passenger.cli;

import io.github.obskit.passenger.metrics.PassengerMetrics;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.UntrustedText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

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

  final InputStream in;

  final PrintStream out;

  final PrintStream err;

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
    CommandLine commandLine =
        new CommandLine(new Root())
            .addSubcommand(new TextfileCommand(this))
            .addSubcommand(new ServeCommand(this))
            .addSubcommand(new XmlCommand(this))
            .addSubcommand(new CommandLine.HelpCommand());
    commandLine.setOut(new PrintWriter(this.out, true, StandardCharsets.UTF_8));
    commandLine.setErr(new PrintWriter(this.err, true, StandardCharsets.UTF_8));
    commandLine.setParameterExceptionHandler(this::usageError);
    commandLine.setExecutionExceptionHandler(
        (ex, failed, parsed) -> {
          if (ex instanceof IOException || ex instanceof UncheckedIOException) {
            this.err.println("passenger-metrics: " + ex.getMessage());
            return FAILED;
          }
          throw ex;
        });
    int exit = commandLine.execute(args);
    this.out.flush();
    this.err.flush();
    return exit;
  }

  /** Stops a running {@code serve}. */
  public void stop() {
    this.stop.countDown();
  }

  void awaitStop() throws InterruptedException {
    this.stop.await();
  }

  private int usageError(ParameterException ex, String[] args) {
    CommandLine failed = ex.getCommandLine();
    this.err.println("passenger-metrics: " + usageMessage(ex, failed));
    this.err.println();
    failed.usage(this.err);
    return USAGE;
  }

  /**
   * Picocli's message, made specific where it can be: an unknown command is named as such, and an
   * option of another command says which commands take it.
   */
  private static String usageMessage(ParameterException ex, CommandLine failed) {
    if (!(ex instanceof UnmatchedArgumentException unmatched)
        || unmatched.getUnmatched().isEmpty()) {
      return ex.getMessage();
    }
    String first = unmatched.getUnmatched().get(0);
    if (failed.getParent() == null && !first.startsWith("-")) {
      return "unknown command '" + first + "'";
    }
    List<String> commands = new ArrayList<>();
    CommandLine root = (failed.getParent() != null) ? failed.getParent() : failed;
    root.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (sub.getCommandSpec().findOption(first) != null) {
                commands.add(name);
              }
            });
    return commands.isEmpty()
        ? "unknown option '" + first + "'"
        : first + " applies to " + String.join(" and ", commands) + " only";
  }

  static String failureMessage(PassengerStatusException failure) {
    return "passenger-metrics: cannot read the Passenger status ("
        + failure.reason().tagValue()
        + "): "
        + UntrustedText.quote(failure.getMessage());
  }

  /** The reason of a failed I/O operation, in words: the JDK names some only by their class. */
  static String describe(IOException ex) {
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

  /** The top-level command: only a command name or help. */
  @Command(
      name = "passenger-metrics",
      synopsisSubcommandLabel = "COMMAND",
      description =
          "Reads a Phusion Passenger status and prints or serves it as Prometheus metrics.",
      footer = {
        "%nRun 'passenger-metrics COMMAND --help' for the options of a command.",
        "Exit codes: 0 ok, 1 the status could not be read (textfile still prints passenger_up 0),"
            + " serve cannot listen or textfile cannot write its output, 2 usage error."
      })
  static final class Root implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help.")
    boolean help;

    @Override
    public Integer call() {
      throw new ParameterException(this.spec.commandLine(), "missing command");
    }
  }
}
