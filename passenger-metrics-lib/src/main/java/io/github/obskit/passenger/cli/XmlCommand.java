package io.github.obskit.passenger.cli;

import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusXml;
import io.github.obskit.passenger.status.source.CachingStatusSource;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code xml}: prints the status as Passenger's own XML document. */
@Command(
    name = "xml",
    description = "Print the status as Passenger's XML document.",
    mixinStandardHelpOptions = false)
final class XmlCommand extends StatusCommand {

  XmlCommand(PassengerMetricsCli cli) {
    super(cli);
  }

  @Override
  int run() {
    try (CachingStatusSource source =
        new CachingStatusSource(statusSource(), Duration.ZERO, this.timeout)) {
      this.cli.out.print(PassengerStatusXml.write(source.read()));
      this.cli.out.flush();
      return PassengerMetricsCli.OK;
    } catch (PassengerStatusException ex) {
      this.cli.err.println(PassengerMetricsCli.failureMessage(ex));
      return PassengerMetricsCli.FAILED;
    }
  }
}
