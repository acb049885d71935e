package io.github.obskit.passenger.cli;

import io.github.obskit.passenger.metrics.PassengerMetrics;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every command has: a status source, a timeout and the streams of the CLI. */
abstract class StatusCommand implements Callable<Integer> {

  final PassengerMetricsCli cli;

  @Spec CommandSpec spec;

  @Mixin SourceOptions source;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help.")
  boolean help;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Longest wait for the status (default 5s; e.g. 500ms, 10s, 1m, PT10S; a bare number is"
              + " seconds; at most 1h).")
  Duration timeout = PassengerMetrics.DEFAULT_TIMEOUT;

  StatusCommand(PassengerMetricsCli cli) {
    this.cli = cli;
  }

  @Override
  public final Integer call() throws Exception {
    this.source.validate(this.spec);
    return run();
  }

  abstract int run() throws Exception;

  PassengerStatusSource statusSource() {
    return this.source.source(this.cli.in, this.timeout);
  }

  /** A binder that reads only when asked: every command reads right before it renders. */
  PassengerMetrics metrics(boolean perProcess, Duration cacheTtl) {
    return PassengerMetrics.builder(statusSource())
        .perProcess(perProcess)
        .cacheTtl(cacheTtl)
        .timeout(this.timeout)
        .scheduledReads(false)
        .build();
  }
}
