import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.source.CommandStatusSource;
import io.github.obskit.passenger.status.source.CoreApiStatusSource;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a real Passenger through the core API socket and through passenger-status, and prints
 * one line per source for .ci/e2e/15-passenger-real.sh to check:
 * {@code <source> ok version=… apps=… processes=… pids=…} or {@code <source> error <REASON> …}.
 * The instance registry comes from PASSENGER_INSTANCE_REGISTRY_DIR; the optional argument is an
 * instance name.
 */
public class RealPassengerCheck {

  public static void main(String[] args) {
    String name = args.length > 0 ? args[0] : null;
    Duration timeout = Duration.ofSeconds(30);
    List<String> command = new ArrayList<>(CommandStatusSource.DEFAULT_COMMAND);
    if (name != null) {
      command.add(name);
    }
    report("socket", new CoreApiStatusSource(name, timeout));
    report("command", new CommandStatusSource(command, timeout));
  }

  private static void report(String label, PassengerStatusSource source) {
    try {
      PassengerStatus status = source.read();
      String pids =
          status.supergroups().stream()
              .flatMap(app -> app.processes().stream())
              .map(process -> Long.toString(process.pid()))
              .sorted()
              .collect(Collectors.joining(","));
      long withMemory =
          status.supergroups().stream()
              .flatMap(app -> app.processes().stream())
              .filter(process -> process.realMemoryBytes().orElse(0) > 0)
              .count();
      System.out.printf(
          "%s ok version=%s apps=%d processes=%d pids=%s with_memory=%d%n",
          label,
          status.passengerVersion(),
          status.supergroups().size(),
          status.processCount(),
          pids,
          withMemory);
    } catch (PassengerStatusException ex) {
      System.out.printf("%s error %s %s%n", label, ex.reason(), ex.getMessage().replace('\n', ' '));
    }
  }
}
