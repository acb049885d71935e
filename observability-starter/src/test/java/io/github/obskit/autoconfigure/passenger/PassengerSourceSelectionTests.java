package io.github.obskit.autoconfigure.passenger;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.obskit.passenger.status.PassengerStatusXml;
import io.github.obskit.passenger.status.source.CommandStatusSource;
import io.github.obskit.passenger.status.source.CoreApiStatusSource;
import io.github.obskit.passenger.status.source.FileStatusSource;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Which Passenger status source is used, and the startup line naming it. The host is described
 * through the variables the selection reads ({@code PATH}, {@code
 * PASSENGER_INSTANCE_REGISTRY_DIR}), given as properties, so that the tests do not depend on
 * whether this machine runs Passenger.
 */
class PassengerSourceSelectionTests {

  @TempDir Path registry;

  @TempDir Path bin;

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  private final Logger selectorLogger =
      (Logger) LoggerFactory.getLogger(PassengerStatusSourceSelector.class);

  private WebApplicationContextRunner contextRunner;

  @BeforeEach
  void describeAHostWithoutPassenger() {
    this.log.start();
    this.selectorLogger.addAppender(this.log);
    this.contextRunner =
        new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PassengerMetricsAutoConfiguration.class))
            .withPropertyValues(
                "observability.passenger.enabled=true",
                "PASSENGER_INSTANCE_REGISTRY_DIR=" + this.registry,
                "PATH=" + this.bin);
  }

  @AfterEach
  void detachLog() {
    this.selectorLogger.detachAppender(this.log);
  }

  @Test
  void withoutPassengerReportsItDownAndLogsWhyInsteadOfSimulating() {
    this.contextRunner.run(
        (context) -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(PassengerStatusSource.class))
              .isInstanceOf(CoreApiStatusSource.class);
          assertThat(PassengerMetricsPath.scrape(context))
              .contains(
                  "passenger_up 0.0", "passenger_scrape_errors_total{reason=\"no_instance\"} 1.0")
              .doesNotContain("passenger_up 1.0");
          assertThat(onlyLine())
              .satisfies((line) -> assertThat(line.getLevel()).isEqualTo(Level.WARN))
              .extracting(ILoggingEvent::getFormattedMessage)
              .asString()
              .contains(
                  "No Passenger found: no running instance in [" + this.registry + "]",
                  "no `passenger-status` on the PATH",
                  "passenger_up is 0",
                  "observability.passenger.source unset");
        });
  }

  @Test
  void readsTheCoreApiSocketWhenAnInstanceRuns() throws Exception {
    Path instance = runningInstance("blue");
    this.contextRunner.run(
        (context) -> {
          assertThat(context.getBean(PassengerStatusSource.class))
              .isInstanceOf(CoreApiStatusSource.class)
              .hasToString("Passenger core API of the discovered instance (5 s timeout)");
          assertThat(onlyLine().getLevel()).isEqualTo(Level.INFO);
          assertThat(onlyLine().getFormattedMessage())
              .isEqualTo(
                  "Passenger metrics read from Passenger core API of the discovered instance"
                      + " (5 s timeout), running: blue in "
                      + instance
                      + " (observability.passenger.source unset: detected)");
        });
  }

  @Test
  void runsThePassengerStatusCommandFoundOnThePathWhenNoInstanceIsRegistered() throws Exception {
    Path command = statusCommandPrintingTheSimulator();
    this.contextRunner.run(
        (context) -> {
          assertThat(context.getBean(PassengerStatusSource.class))
              .isInstanceOf(CommandStatusSource.class)
              .hasToString("command `" + command + " --show=xml`");
          assertThat(onlyLine().getFormattedMessage())
              .isEqualTo(
                  "Passenger metrics read from command `"
                      + command
                      + " --show=xml`, no running Passenger instance in ["
                      + this.registry
                      + "] (observability.passenger.source unset: detected)");
          assertThat(PassengerMetricsPath.scrape(context)).contains("passenger_up 1.0");
        });
  }

  @Test
  void failsNamingThePropertyWhenTheCommandLineIsEmpty() {
    this.contextRunner
        .withPropertyValues("observability.passenger.command.line=")
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("observability.passenger.command.line")
                    .hasStackTraceContaining("A command is required"));
  }

  @Test
  void prefersTheSocketToTheCommandWhenBothAreThere() throws Exception {
    statusCommandPrintingTheSimulator();
    runningInstance("blue");
    this.contextRunner.run(
        (context) ->
            assertThat(context.getBean(PassengerStatusSource.class))
                .isInstanceOf(CoreApiStatusSource.class));
  }

  @Test
  void readsTheSocketWhenASocketSettingIsGivenWithoutASource() {
    this.contextRunner
        .withPropertyValues("observability.passenger.socket.instance-name=green")
        .run(
            (context) -> {
              assertThat(context.getBean(PassengerStatusSource.class))
                  .hasToString("Passenger core API of instance green (5 s timeout)");
              assertThat(onlyLine().getFormattedMessage())
                  .isEqualTo(
                      "Passenger metrics read from Passenger core API of instance green (5 s"
                          + " timeout) (observability.passenger.source unset, socket settings"
                          + " given)");
            });
  }

  @Test
  void simulatesOnlyWhenAskedToAndSaysSo() {
    this.contextRunner
        .withPropertyValues(
            "observability.passenger.source=simulator",
            "observability.passenger.simulator.scenario=overloaded")
        .run(
            (context) -> {
              assertThat(context.getBean(PassengerStatusSource.class))
                  .isInstanceOf(SimulatedStatusSource.class);
              assertThat(onlyLine().getFormattedMessage())
                  .isEqualTo(
                      "Passenger metrics read from the simulator, scenario overloaded (simulated"
                          + " values, not a real Passenger) (observability.passenger.source"
                          + "=simulator)");
            });
  }

  @Test
  void namesAChosenSourceAndWhatItReads() {
    this.contextRunner
        .withPropertyValues(
            "observability.passenger.source=file", "observability.passenger.file.path=/tmp/s.xml")
        .run(
            (context) -> {
              assertThat(context.getBean(PassengerStatusSource.class))
                  .isInstanceOf(FileStatusSource.class);
              assertThat(onlyLine().getFormattedMessage())
                  .isEqualTo(
                      "Passenger metrics read from file /tmp/s.xml"
                          + " (observability.passenger.source=file)");
            });
  }

  @Test
  void logsNothingWhenTheApplicationProvidesTheSource() {
    this.contextRunner
        .withBean(PassengerStatusSource.class, () -> new SimulatedStatusSource(Scenario.NORMAL))
        .run((context) -> assertThat(this.log.list).isEmpty());
  }

  private ILoggingEvent onlyLine() {
    assertThat(this.log.list).hasSize(1);
    return this.log.list.get(0);
  }

  /** An instance directory as a running Passenger leaves it, its watchdog being this JVM. */
  private Path runningInstance(String name) throws Exception {
    Path directory = Files.createDirectories(this.registry.resolve("passenger.a1b2c3"));
    Files.createDirectories(directory.resolve("agents.s"));
    Files.writeString(
        directory.resolve("properties.json"),
        """
        {"name": "%s", "passenger_version": "6.1.2", "watchdog_pid": %d}
        """
            .formatted(name, ProcessHandle.current().pid()));
    Files.writeString(directory.resolve("creation_finalized"), "");
    return directory;
  }

  /** A {@code passenger-status} in {@link #bin} that prints the simulator's status document. */
  private Path statusCommandPrintingTheSimulator() throws Exception {
    Path status = this.bin.resolve("status.xml");
    Files.writeString(
        status, PassengerStatusXml.write(new SimulatedStatusSource(Scenario.NORMAL).read()));
    Path command = this.bin.resolve("passenger-status");
    Files.writeString(command, "#!/bin/sh\nexec cat '" + status + "'\n");
    Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
    return command;
  }
}
