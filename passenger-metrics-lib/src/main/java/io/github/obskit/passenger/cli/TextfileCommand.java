package io.github.obskit.passenger.cli;

import io.github.obskit.passenger.metrics.PassengerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code textfile}: prints the metrics once, for node_exporter's textfile collector. */
@Command(
    name = "textfile",
    description =
        "Print the Prometheus metrics once (for node_exporter's textfile collector); on a failed"
            + " read, print them with passenger_up 0 and exit 1.")
final class TextfileCommand extends StatusCommand {

  // Held in a field: JUL keeps loggers weakly, and a collected logger would forget its level.
  private static final Logger QUIET_BINDER_LOG = Logger.getLogger(PassengerMetrics.class.getName());

  /**
   * Prefix of the temporary file written beside the output; with its random part, 43 bytes at most.
   */
  static final String TEMPORARY_PREFIX = ".passenger-metrics-";

  @Option(
      names = "--output",
      paramLabel = "PATH",
      description = "Write to PATH atomically (mode 0644) instead of stdout.")
  Path output;

  @Option(names = "--no-per-process", description = "Leave out the passenger_process_* series.")
  boolean noPerProcess;

  TextfileCommand(PassengerMetricsCli cli) {
    super(cli);
  }

  @Override
  int run() throws IOException {
    if (this.output != null) {
      validateOutput(this.output);
    }
    // One run, one read: the failure is reported once below, not also by the binder's state log.
    QUIET_BINDER_LOG.setLevel(Level.OFF);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (PassengerMetrics metrics = metrics(!this.noPerProcess, Duration.ofMinutes(1))) {
      metrics.bindTo(registry);
      metrics.refresh();
      String exposition = registry.scrape(PassengerMetricsCli.TEXT_FORMAT);
      if (this.output != null) {
        try {
          writeAtomically(this.output, exposition);
        } catch (IOException ex) {
          throw new IOException(
              "cannot write " + this.output + ": " + PassengerMetricsCli.describe(ex), ex);
        }
      } else {
        this.cli.out.print(exposition);
        this.cli.out.flush();
      }
      return metrics
          .lastFailure()
          .map(
              failure -> {
                this.cli.err.println(PassengerMetricsCli.failureMessage(failure));
                return PassengerMetricsCli.FAILED;
              })
          .orElse(PassengerMetricsCli.OK);
    }
  }

  /** Refuses, as a usage error, an output that cannot name a file: a root or a directory. */
  private void validateOutput(Path output) {
    if (output.getFileName() == null) {
      throw new ParameterException(
          this.spec.commandLine(), "--output must name a file, not " + output);
    }
    if (Files.isDirectory(output)) {
      throw new ParameterException(
          this.spec.commandLine(), "--output must name a file, not the directory " + output);
    }
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    // The textfile collector must never see a half-written file: write beside it, then rename.
    // A short name of bounded length, not one derived from the target's: a target name close to
    // the file system's limit (255 bytes) would make a longer temporary name fail. node_exporter
    // reads only *.prom files, so it never sees this one.
    Path temporary = Files.createTempFile(directory, TEMPORARY_PREFIX, ".tmp");
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
}
