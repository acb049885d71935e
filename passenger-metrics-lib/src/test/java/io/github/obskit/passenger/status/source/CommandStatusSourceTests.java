package io.github.obskit.passenger.status.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.obskit.e2e.Waits;
import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.github.obskit.passenger.status.PassengerStatusParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandStatusSourceTests {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path directory;

  @Test
  void parsesTheStatusTheCommandPrints() throws Exception {
    Path fixture = copyFixture("stuartnelson3_passenger_exporter_passenger_5.0.26.xml");

    PassengerStatus status = source(script("cat '" + fixture + "'"), TIMEOUT).read();

    assertThat(status.passengerVersion()).isEqualTo("5.0.26");
    assertThat(status.processCount()).isEqualTo(48);
  }

  @Test
  void drainsALargeStandardErrorWhileReadingStandardOutput() throws Exception {
    Path fixture = copyFixture("ibotta_passenger_datadog_monitor_passenger_6.1.2.xml");
    // 1 MB on stderr before stdout: far more than a pipe buffer, so a reader that drained the
    // streams one after the other would dead-lock.
    String body = "head -c 1000000 /dev/zero | tr '\\0' x >&2\ncat '" + fixture + "'";

    PassengerStatus status = source(script(body), TIMEOUT).read();

    assertThat(status.processCount()).isEqualTo(3);
  }

  @Test
  void killsAHangingCommandAndItsChildrenAtTheTimeout() throws Exception {
    Path childPid = directory.resolve("child.pid");
    Path hanging = script("sleep 60 &\necho $! > '" + childPid + "'\nwait");

    // Long enough for the script to start its child and write its pid on a loaded machine.
    PassengerStatusException error = failure(source(hanging, Duration.ofSeconds(5)));

    assertThat(error.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(error.getMessage()).contains("did not finish within 5 s").contains("killed");
    long pid = Long.parseLong(Files.readString(childPid).strip());
    ProcessHandle.of(pid)
        .ifPresent(child -> assertThat(child.onExit()).succeedsWithin(Waits.CONDITION));
  }

  @Test
  void killsAProcessThatKeepsTheOutputOpenAfterTheCommandExited() throws Exception {
    Path childPid = directory.resolve("orphan.pid");
    Path leaking = script("sleep 60 &\necho $! > '" + childPid + "'\nsleep 0.3");

    // Long enough for the script to exit after its 0.3 s on a loaded machine, before the timeout.
    PassengerStatusException error = failure(source(leaking, Duration.ofSeconds(5)));

    assertThat(error.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(error.getMessage()).contains("kept its output open");
    long pid = Long.parseLong(Files.readString(childPid).strip());
    ProcessHandle.of(pid)
        .ifPresent(orphan -> assertThat(orphan.onExit()).succeedsWithin(Waits.CONDITION));
  }

  @Test
  void reportsAFailedCommandWithItsExitStatusAndStandardError() throws Exception {
    Path failing = script("echo 'something broke: core dumped' >&2\nexit 3");

    PassengerStatusException error = failure(source(failing, TIMEOUT));

    assertThat(error.reason()).isEqualTo(Reason.COMMAND_FAILED);
    assertThat(error.getMessage())
        .contains("exited with status 3")
        .contains("something broke: core dumped");
  }

  @Test
  void quotesAFailedCommandsStandardErrorWithItsControlCharactersEscaped() throws Exception {
    Path failing = script("printf '\\033[31mred\\r\\nforged line\\000 end' >&2\nexit 3");

    PassengerStatusException error = failure(source(failing, TIMEOUT));

    assertThat(error.getMessage())
        .contains("\\u001b[31mred\\r\\nforged line\\u0000 end")
        .doesNotContain("\u001b", "\r", "\n", "\u0000");
  }

  @Test
  void explainsHowToChooseWhenSeveralInstancesRun() throws Exception {
    Path multiple =
        script(
            """
            echo 'It appears that multiple Phusion Passenger(R) instances are running. Please'
            echo 'select a specific one by running:'
            echo
            echo '  passenger-status <NAME>'
            echo
            echo 'Name                       PID      Description'
            echo '--------------------------------------------------------------------------'
            echo 'bD4sWYXe                   8457     nginx/1.24.0 Phusion_Passenger/6.1.2'
            echo 'Qk2mcRd9                   9012     nginx/1.24.0 Phusion_Passenger/6.1.2'
            exit 1
            """);

    PassengerStatusException error = failure(source(multiple, TIMEOUT));

    assertThat(error.reason()).isEqualTo(Reason.MULTIPLE_INSTANCES);
    assertThat(error.getMessage())
        .contains("passenger-status --show=xml <name>")
        .contains("bD4sWYXe")
        .contains("Qk2mcRd9");
  }

  @Test
  void readsNotServingAnyApplicationsAsAStatusWithoutApplications() throws Exception {
    Path notServing =
        script("echo 'Phusion Passenger(R) is currently not serving any applications.'");

    PassengerStatus status = source(notServing, TIMEOUT).read();

    assertThat(status.supergroups()).isEmpty();
    assertThat(status.processCount()).isZero();
  }

  @Test
  void reportsNoInstanceWhenPassengerIsNotRunning() throws Exception {
    Path notRunning =
        script(
            "echo \"ERROR: Phusion Passenger(R) doesn't seem to be running. If you are sure that it"
                + " is running, then the causes of this problem could be:\" >&2\nexit 1");

    PassengerStatusException error = failure(source(notRunning, TIMEOUT));

    assertThat(error.reason()).isEqualTo(Reason.NO_INSTANCE);
    assertThat(error.getMessage()).contains("doesn't seem to be running");
  }

  @Test
  void reportsACommandThatCannotStart() {
    Path missing = directory.resolve("no-such-passenger-status");

    PassengerStatusException error =
        failure(new CommandStatusSource(List.of(missing.toString(), "--show=xml"), TIMEOUT));

    assertThat(error.reason()).isEqualTo(Reason.COMMAND_FAILED);
    assertThat(error.getMessage()).contains("cannot start").contains(missing.toString());
  }

  @Test
  void stopsAndKillsACommandWhoseOutputExceedsTheSizeLimit() throws Exception {
    Path endless = script("yes '<process><pid>1</pid></process>'");
    CommandStatusSource source =
        new CommandStatusSource(
            List.of(endless.toString()), TIMEOUT, new PassengerStatusParser(100_000));

    PassengerStatusException error = failure(source);

    assertThat(error.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(error.getMessage()).contains("100000");
  }

  @Test
  void reportsMalformedOutputOfASuccessfulCommand() throws Exception {
    PassengerStatusException error =
        failure(source(script("echo '<info version=\"3\"><max>'"), TIMEOUT));

    assertThat(error.reason()).isEqualTo(Reason.MALFORMED);
  }

  private static CommandStatusSource source(Path script, Duration timeout) {
    return new CommandStatusSource(List.of(script.toString()), timeout);
  }

  private static PassengerStatusException failure(PassengerStatusSource source) {
    PassengerStatusException error =
        catchThrowableOfType(PassengerStatusException.class, source::read);
    assertThat(error).as("read() must fail").isNotNull();
    return error;
  }

  private Path script(String body) throws IOException {
    Path script = Files.createTempFile(directory, "passenger-status", ".sh");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private Path copyFixture(String name) throws IOException {
    Path target = directory.resolve(name);
    try (InputStream input = getClass().getResourceAsStream("/fixtures/" + name)) {
      Files.copy(input, target);
    }
    return target;
  }
}
