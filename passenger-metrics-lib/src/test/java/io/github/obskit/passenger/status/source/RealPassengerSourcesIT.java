package io.github.obskit.passenger.status.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.github.obskit.e2e.Ports;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.RealPassenger;
import io.github.obskit.e2e.Waits;
import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.github.obskit.passenger.status.PassengerStatusParser;
import io.github.obskit.passenger.status.ProcessStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Reads a real Passenger (Debian's package, Standalone with the builtin engine) through the core
 * API socket source and the passenger-status command source: instance discovery, ro_admin auth, the
 * numbers against the processes really running, several instances, no instance. The methods run in
 * order: each adds an instance to the ones before.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class RealPassengerSourcesIT {

  private static final Duration TIMEOUT = Waits.CONDITION;

  // Closed after the instances, whose stop command runs through it.
  @AutoClose private final Processes processes = new Processes("real-passenger-sources");

  @AutoClose private final RealPassenger passenger = new RealPassenger(processes);

  @Test
  @Order(1)
  void bothSourcesReportNoInstanceWhenNoneRuns() {
    assertThat(failure(socket(null)).reason()).isEqualTo(Reason.NO_INSTANCE);
    assertThat(failure(command(null)).reason()).isEqualTo(Reason.NO_INSTANCE);
  }

  @Test
  @Order(2)
  void bothSourcesReadTheOneInstanceAndItsRunningProcesses() throws Exception {
    RealPassenger.Instance first = passenger.start("app1", 2, Ports.free());
    // The core API answers before the processes have spawned and their metrics are collected.
    PassengerStatus socket =
        await("both processes with their memory")
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofSeconds(1))
            .ignoreExceptions()
            .until(() -> socket(null).read(), (status) -> withMemory(status) == 2);
    PassengerStatus command = command(null).read();
    assertThat(socket.passengerVersion()).isEqualTo(passenger.version());
    assertThat(socket.processCount()).isEqualTo(2);
    assertThat(pids(socket)).isEqualTo(first.applicationPids()).hasSize(2);
    assertThat(pids(command)).isEqualTo(pids(socket));
  }

  @Test
  @Order(3)
  void withTwoInstancesTheSourcesRefuseToGuessAndReadTheNamedOne() throws Exception {
    RealPassenger.Instance second = passenger.start("app2", 1, Ports.free());
    assertThat(failure(socket(null)).reason()).isEqualTo(Reason.MULTIPLE_INSTANCES);
    PassengerStatusException commandFailure = failure(command(null));
    assertThat(commandFailure.reason()).isEqualTo(Reason.MULTIPLE_INSTANCES);
    assertThat(commandFailure.getMessage()).contains("passenger-status --show=xml <name>");
    String name =
        second
            .registeredName()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no instance in "
                            + passenger.registry()
                            + " has watchdog "
                            + second.watchdogPid()));
    // As above: the instance answers before its process has spawned.
    await("the named instance's one process")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(() -> socket(name).read().processCount(), (count) -> count == 1);
    assertThat(command(name).read().processCount()).isEqualTo(1);
    assertThat(pids(socket(name).read())).isEqualTo(second.applicationPids());
  }

  private PassengerStatusSource socket(String name) {
    PassengerInstanceRegistry registry =
        new PassengerInstanceRegistry(
            (variable) -> passenger.environment().getOrDefault(variable, System.getenv(variable)));
    return new CoreApiStatusSource(registry, name, TIMEOUT, new PassengerStatusParser());
  }

  private PassengerStatusSource command(String name) {
    List<String> command = new ArrayList<>(List.of("env"));
    passenger.environment().forEach((variable, value) -> command.add(variable + "=" + value));
    command.addAll(CommandStatusSource.DEFAULT_COMMAND);
    if (name != null) {
      command.add(name);
    }
    return new CommandStatusSource(command, TIMEOUT);
  }

  private static PassengerStatusException failure(PassengerStatusSource source) {
    PassengerStatusException failure =
        catchThrowableOfType(PassengerStatusException.class, source::read);
    assertThat(failure).as("a failed read").isNotNull();
    return failure;
  }

  private static Stream<ProcessStatus> processes(PassengerStatus status) {
    return status.supergroups().stream().flatMap((app) -> app.processes().stream());
  }

  private static List<Long> pids(PassengerStatus status) {
    return processes(status).map(ProcessStatus::pid).sorted().toList();
  }

  private static long withMemory(PassengerStatus status) {
    return processes(status).filter((process) -> process.realMemoryBytes().orElse(0) > 0).count();
  }
}
