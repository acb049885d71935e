package io.github.obskit.e2e;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Phusion Passenger Standalone from Debian's {@code passenger} package (builtin engine) serving a
 * tiny Rack application, daemonized as a user runs it. Its instances register in a directory of
 * this object's own, so that another Passenger on the host cannot change the answers; {@link
 * #close()} stops every instance it started.
 */
public final class RealPassenger implements AutoCloseable {

  /** The variable Passenger's tools and the library read the instance registry from. */
  public static final String REGISTRY_VARIABLE = "PASSENGER_INSTANCE_REGISTRY_DIR";

  private static final Pattern VERSION = Pattern.compile("\\d+(?:\\.\\d+)+");

  private static final Duration START_TIMEOUT = Waits.PROCESS;

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Processes processes;

  private final String passenger;

  // Under /tmp, not target/: the core API's UNIX socket path must stay within 108 bytes.
  private final Path registry;

  private final List<Instance> instances = new ArrayList<>();

  /**
   * Needs the {@code passenger} command; fails naming its package when it is missing.
   *
   * @param processes where Passenger's commands run
   */
  public RealPassenger(Processes processes) {
    this.processes = processes;
    this.passenger = Tools.require("passenger", "passenger");
    try {
      this.registry = Files.createTempDirectory("obskit-passenger");
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * The instance registry directory of this object's instances.
   *
   * @return the directory
   */
  public Path registry() {
    return registry;
  }

  /**
   * The environment that makes Passenger's tools and the library look up this object's instances.
   *
   * @return the registry variable
   */
  public Map<String, String> environment() {
    return Map.of(REGISTRY_VARIABLE, registry.toString());
  }

  /**
   * The installed version, as {@code passenger --version} prints it.
   *
   * @return e.g. {@code 6.0.17}
   */
  public String version() {
    Processes.Finished version =
        processes.run(Duration.ofSeconds(60), List.of(passenger, "--version"));
    Matcher number = VERSION.matcher(version.stdout());
    if (version.exitCode() != 0 || !number.find()) {
      return fail("passenger --version: %s", version.output());
    }
    return number.group();
  }

  /**
   * Starts a daemonized instance on 127.0.0.1 and returns once {@code passenger start} has.
   *
   * @param name the application's directory name
   * @param minProcesses the application processes it keeps running
   * @param port its HTTP port
   * @return the instance
   */
  public Instance start(String name, int minProcesses, int port) {
    Path app = processes.directory().resolve(name);
    Path pidFile = processes.directory().resolve(name + ".pid");
    Path log = processes.directory().resolve(name + "-passenger.log");
    try {
      Files.createDirectories(app.resolve("public"));
      Files.createDirectories(app.resolve("tmp"));
      Files.writeString(
          app.resolve("config.ru"),
          "run lambda { |env| [200, {\"content-type\" => \"text/plain\"}, [\"hello\\n\"]] }\n");
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    Instance instance = new Instance(pidFile);
    instances.add(instance);
    ProcessBuilder start =
        new ProcessBuilder(
                passenger,
                "start",
                "--engine=builtin",
                "--address",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--instance-registry-dir",
                registry.toString(),
                "--min-instances",
                Integer.toString(minProcesses),
                "--environment",
                "production",
                "--daemonize",
                "--pid-file",
                pidFile.toString(),
                "--log-file",
                log.toString())
            .directory(app.toFile());
    start.environment().putAll(environment());
    Processes.Finished started = processes.run(START_TIMEOUT, start);
    if (started.exitCode() != 0) {
      fail(
          "passenger start %s exited %d: %s%n%s",
          name, started.exitCode(), started.output(), read(log));
    }
    return instance;
  }

  /** Stops every instance still running and removes the registry. */
  @Override
  public void close() {
    instances.forEach(Instance::stop);
    // passenger stop returns before the watchdog has removed its instance directory, which it may
    // still be writing to while this one is deleted.
    try {
      await("removing " + registry)
          .atMost(STOP_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> deleted(registry));
    } catch (ConditionTimeoutException ex) {
      // A directory under /tmp left behind, with the failure named in the test's log.
      System.err.println(ex.getMessage());
    }
  }

  private static boolean deleted(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
    } catch (IOException | UncheckedIOException ex) {
      // Changed while walked: try again.
    }
    return !Files.exists(directory);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** A running instance, known by the pid file of its watchdog. */
  public final class Instance {

    private final Path pidFile;

    private Instance(Path pidFile) {
      this.pidFile = pidFile;
    }

    /**
     * The process ID of the instance's watchdog.
     *
     * @return the pid its pid file holds
     */
    public long watchdogPid() {
      return Long.parseLong(read(pidFile).strip());
    }

    /**
     * The application processes of this instance: the descendants of its watchdog, so that another
     * Passenger on the host cannot change the answer.
     *
     * @return their process IDs, ascending
     */
    public List<Long> applicationPids() {
      return ProcessHandle.of(watchdogPid()).stream()
          .flatMap(ProcessHandle::descendants)
          .filter((process) -> commandLine(process.pid()).startsWith("Passenger RubyApp"))
          .map(ProcessHandle::pid)
          .sorted()
          .toList();
    }

    /**
     * The name under which the instance registered, found by its watchdog's pid.
     *
     * @return the name, empty when no registered instance has this watchdog
     */
    public Optional<String> registeredName() {
      Pattern watchdog = Pattern.compile("\"watchdog_pid\"\\s*:\\s*" + watchdogPid() + "\\b");
      Pattern name = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");
      try (Stream<Path> directories = Files.list(registry)) {
        return directories
            .map((directory) -> read(directory.resolve("properties.json")))
            .filter((properties) -> watchdog.matcher(properties).find())
            .map(name::matcher)
            .filter(Matcher::find)
            .map((found) -> found.group(1))
            .findFirst();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }

    /** Stops the instance, as {@code passenger stop} does; nothing when it is stopped already. */
    public void stop() {
      if (!Files.exists(pidFile)) {
        return;
      }
      ProcessBuilder stop = new ProcessBuilder(passenger, "stop", "--pid-file", pidFile.toString());
      stop.environment().putAll(environment());
      processes.run(START_TIMEOUT, stop);
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }

    private String commandLine(long pid) {
      try {
        return new String(
                Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                StandardCharsets.UTF_8)
            .replace('\0', ' ');
      } catch (IOException ex) {
        return "";
      }
    }
  }
}
