package io.github.obskit.e2e;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the programs of an end-to-end test, each with its output in a log file, and stops every
 * one of them (with their child processes) on {@link #close()}, which a test runs also when it
 * fails: hold an instance in an {@code @AutoClose} field.
 */
public final class Processes implements AutoCloseable {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Path directory;

  private final List<Process> started = new ArrayList<>();

  /**
   * Keeps logs and scratch files under {@code target/e2e/<name>}, cleared first.
   *
   * @param name the test's name
   */
  public Processes(String name) {
    this.directory = Path.of("target", "e2e", name).toAbsolutePath();
    try {
      if (Files.exists(directory)) {
        try (var files = Files.walk(directory)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(Processes::delete);
        }
      }
      Files.createDirectories(directory);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * The directory for the test's logs and scratch files.
   *
   * @return the directory
   */
  public Path directory() {
    return directory;
  }

  /**
   * Starts a program in the background with its standard and error output in {@code <name>.log}.
   *
   * @param name the program's name in the test, also its log's name
   * @param command the command line
   * @return the started program
   */
  public Started start(String name, List<String> command) {
    return start(name, new ProcessBuilder(command));
  }

  /**
   * Starts a program in the background with its standard and error output in {@code <name>.log}.
   *
   * @param name the program's name in the test, also its log's name
   * @param builder the command line, working directory and environment
   * @return the started program
   */
  public Started start(String name, ProcessBuilder builder) {
    Path log = directory.resolve(name + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    try {
      Process process = builder.start();
      started.add(process);
      return new Started(name, process, log);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot start " + builder.command(), ex);
    }
  }

  /**
   * Starts a jar with the newest Java installed (see {@link Tools#newestJava()}).
   *
   * @param name the program's name in the test, also its log's name
   * @param jar the jar
   * @param arguments JVM options before {@code -jar}, then {@code --} and the program's arguments
   * @return the started program
   */
  public Started startJar(String name, Path jar, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of(Tools.newestJava()));
    int separator = arguments.indexOf("--");
    command.addAll(separator < 0 ? List.of() : arguments.subList(0, separator));
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(separator < 0 ? arguments : arguments.subList(separator + 1, arguments.size()));
    return start(name, command);
  }

  /**
   * Runs a program to its end; fails the test when it runs longer than the timeout.
   *
   * @param timeout the time it may take
   * @param command the command line
   * @return its exit code and output
   */
  public Finished run(Duration timeout, List<String> command) {
    return run(timeout, new ProcessBuilder(command));
  }

  /**
   * Runs a program to its end; fails the test when it runs longer than the timeout.
   *
   * @param timeout the time it may take
   * @param builder the command line, working directory and environment
   * @return its exit code and output
   */
  public Finished run(Duration timeout, ProcessBuilder builder) {
    try {
      Path stdout = Files.createTempFile(directory, "run", ".out");
      Path stderr = Files.createTempFile(directory, "run", ".err");
      if (builder.redirectInput() == ProcessBuilder.Redirect.PIPE) {
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      Process process =
          builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      started.add(process);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(process);
        fail("%s ran longer than %s", builder.command(), timeout);
      }
      started.remove(process);
      Finished finished =
          new Finished(
              process.exitValue(),
              Files.readString(stdout, StandardCharsets.UTF_8),
              Files.readString(stderr, StandardCharsets.UTF_8));
      Files.delete(stdout);
      Files.delete(stderr);
      return finished;
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot run " + builder.command(), ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    }
  }

  /** Stops every program still running, children first, forcibly after a grace period. */
  @Override
  public void close() {
    List<Process> newestFirst = new ArrayList<>(started);
    java.util.Collections.reverse(newestFirst);
    newestFirst.forEach(Processes::stop);
    started.clear();
  }

  private static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * A program running in the background.
   *
   * @param name its name in the test
   * @param process the process
   * @param log the file holding its output
   */
  public record Started(String name, Process process, Path log) {

    /**
     * Its output so far.
     *
     * @return the text of its log
     */
    public String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }

    /**
     * The last lines of its output, for a failure message.
     *
     * @return up to 40 lines
     */
    public String tail() {
      List<String> lines = output().lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * Waits until a URL answers 2xx; fails early, with the program's last output, when it exits.
     *
     * @param url the URL
     * @param timeout how long to wait
     */
    public void awaitOk(URI url, Duration timeout) {
      awaitUntil(timeout, () -> Http.isOk(url), "%s to answer 2xx".formatted(url));
    }

    /**
     * Waits until a condition holds; fails early, with the program's last output, when it exits.
     *
     * @param timeout how long to wait
     * @param condition the condition
     * @param what what is awaited, for the failure message
     */
    public void awaitUntil(
        Duration timeout, java.util.concurrent.Callable<Boolean> condition, String what) {
      try {
        await(name + ": " + what)
            .atMost(timeout)
            .pollInterval(Duration.ofMillis(250))
            .failFast(name + " exited", () -> !process.isAlive())
            .until(condition);
      } catch (Throwable ex) {
        throw new AssertionError(
            "%s; last output of %s (%s):%n%s".formatted(ex.getMessage(), name, log, tail()), ex);
      }
    }
  }

  /**
   * A program that ran to its end.
   *
   * @param exitCode its exit code
   * @param stdout its standard output
   * @param stderr its error output
   */
  public record Finished(int exitCode, String stdout, String stderr) {

    /**
     * Both outputs, for a failure message.
     *
     * @return standard and error output
     */
    public String output() {
      return stdout + stderr;
    }
  }
}
