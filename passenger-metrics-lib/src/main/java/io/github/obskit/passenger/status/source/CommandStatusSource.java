package io.github.obskit.passenger.status.source;

import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.github.obskit.passenger.status.PassengerStatusParser;
import io.github.obskit.passenger.status.UntrustedText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code passenger-status --show=xml} (or another command printing the same document) and
 * parses its output.
 *
 * <p>Standard output and standard error are drained concurrently, so a chatty command cannot
 * dead-lock on a full pipe; standard output is capped at the parser's size limit. A command that
 * does not finish within the timeout is killed together with its descendants. The answers
 * passenger-status gives in plain text are mapped: "not serving any applications" is a status
 * without applications, the list of several instances is {@link Reason#MULTIPLE_INSTANCES}, "not
 * running" is {@link Reason#NO_INSTANCE}, a permission error is {@link Reason#UNAUTHORIZED}.
 *
 * <p>Every {@link #read()} starts a Ruby process, which costs tens of milliseconds of CPU; on a
 * Passenger host prefer {@link CoreApiStatusSource}, and cache reads for a scrape interval.
 */
public final class CommandStatusSource implements PassengerStatusSource {

  /** The default command line. */
  public static final List<String> DEFAULT_COMMAND = List.of("passenger-status", "--show=xml");

  /** The default timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final int STDERR_LIMIT = 64 * 1024;

  private static final int EXCERPT_LENGTH = 600;

  /** How long killed processes and their pipes get to go away before we stop waiting. */
  private static final Duration KILL_GRACE = Duration.ofSeconds(2);

  private static final Duration DESCENDANT_POLL = Duration.ofMillis(50);

  private final List<String> command;

  private final Duration timeout;

  private final PassengerStatusParser parser;

  /** Runs {@link #DEFAULT_COMMAND} with the {@link #DEFAULT_TIMEOUT}. */
  public CommandStatusSource() {
    this(DEFAULT_COMMAND, DEFAULT_TIMEOUT);
  }

  /**
   * Runs a command with the default parser.
   *
   * @param command the command line, e.g. {@code [passenger-status, --show=xml, <instance name>]}
   * @param timeout how long the command may run before it is killed
   */
  public CommandStatusSource(List<String> command, Duration timeout) {
    this(command, timeout, new PassengerStatusParser());
  }

  /**
   * Runs a command.
   *
   * @param command the command line
   * @param timeout how long the command may run before it is killed
   * @param parser the parser, whose size limit also caps the captured output
   */
  public CommandStatusSource(List<String> command, Duration timeout, PassengerStatusParser parser) {
    this.command = List.copyOf(command);
    if (this.command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    this.parser = Objects.requireNonNull(parser, "parser");
  }

  @Override
  public PassengerStatus read() throws PassengerStatusException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Process process = start();
    Capture stdout = new Capture(process.getInputStream(), parser.maxBytes(), process, "stdout");
    Capture stderr = new Capture(process.getErrorStream(), STDERR_LIMIT, null, "stderr");
    Set<ProcessHandle> descendants = new HashSet<>();
    try {
      if (!waitFor(process, deadline, descendants)) {
        killTree(process);
        throw new PassengerStatusException(
            Reason.TIMEOUT,
            "`"
                + commandLine()
                + "` did not finish within "
                + Durations.describe(timeout)
                + " and was killed");
      }
      // A grandchild that inherited the pipes can keep them open after the command exited.
      if (!stdout.await(deadline) || !stderr.await(deadline)) {
        descendants.forEach(ProcessHandle::destroyForcibly);
        throw new PassengerStatusException(
            Reason.TIMEOUT,
            "`"
                + commandLine()
                + "` exited but a process it started kept its output open past the timeout of "
                + Durations.describe(timeout));
      }
    } catch (InterruptedException ex) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new PassengerStatusException(
          Reason.IO, "interrupted while waiting for `" + commandLine() + "`", ex);
    }
    if (stdout.overflowed()) {
      throw new PassengerStatusException(
          Reason.TOO_LARGE,
          "`"
              + commandLine()
              + "` printed more than the size limit of "
              + parser.maxBytes()
              + " bytes and was killed");
    }
    int exitCode = process.exitValue();
    if (exitCode != 0) {
      throw failure(exitCode, stdout.text(), stderr.text());
    }
    return parser.parse(new ByteArrayInputStream(stdout.bytes()));
  }

  private Process start() throws PassengerStatusException {
    try {
      Process process = new ProcessBuilder(command).start();
      // A command that asks a question gets end-of-file instead of waiting for the timeout.
      process.getOutputStream().close();
      return process;
    } catch (IOException ex) {
      throw new PassengerStatusException(
          Reason.COMMAND_FAILED, "cannot start `" + commandLine() + "`: " + ex.getMessage(), ex);
    }
  }

  private PassengerStatusException failure(int exitCode, String stdout, String stderr) {
    String output = stdout + "\n" + stderr;
    if (output.contains("instances are running")) {
      return new PassengerStatusException(
          Reason.MULTIPLE_INSTANCES,
          "several Passenger instances are running and `"
              + commandLine()
              + "` does not choose one: add the instance name to the command, e.g. "
              + "`passenger-status --show=xml <name>` (or use the socket source with an instance"
              + " name). passenger-status said: "
              + excerpt(stdout));
    }
    if (output.contains("doesn't seem to be running") || output.contains("doesn't seem to be a")) {
      return new PassengerStatusException(
          Reason.NO_INSTANCE,
          "`" + commandLine() + "` found no running Passenger instance: " + excerpt(output));
    }
    if (output.contains("not authorized")) {
      return new PassengerStatusException(
          Reason.UNAUTHORIZED,
          "`"
              + commandLine()
              + "` may not read this instance's status; run it as the Passenger user or root: "
              + excerpt(output));
    }
    String detail = stderr.isBlank() ? stdout : stderr;
    return new PassengerStatusException(
        Reason.COMMAND_FAILED,
        "`" + commandLine() + "` exited with status " + exitCode + ": " + excerpt(detail));
  }

  /**
   * Waits for the command until the deadline, remembering the processes it starts: once it has
   * exited, its orphaned descendants can no longer be found through it.
   */
  private static boolean waitFor(Process process, long deadline, Set<ProcessHandle> descendants)
      throws InterruptedException {
    long slice = DESCENDANT_POLL.toNanos();
    while (true) {
      process.descendants().forEach(descendants::add);
      long remaining = remaining(deadline);
      if (process.waitFor(Math.min(remaining, slice), TimeUnit.NANOSECONDS)) {
        return true;
      }
      if (remaining <= slice) {
        return false;
      }
    }
  }

  private static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(KILL_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private String commandLine() {
    return String.join(" ", command);
  }

  private static String excerpt(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return "(no output)";
    }
    // The command's output is untrusted: quoted with its control characters escaped.
    return UntrustedText.quote(
        trimmed.length() <= EXCERPT_LENGTH ? trimmed : trimmed.substring(0, EXCERPT_LENGTH) + "…");
  }

  @Override
  public String toString() {
    return "command `" + commandLine() + "`";
  }

  /** Drains one output stream of the child on its own thread, keeping at most a limit. */
  private static final class Capture {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private final Thread thread;

    private volatile boolean overflowed;

    /**
     * @param killOnOverflow the process to kill when the limit is exceeded, or {@code null} to keep
     *     draining and discard the excess
     */
    Capture(InputStream input, long limit, Process killOnOverflow, String name) {
      thread =
          new Thread(
              () -> drain(input, limit, killOnOverflow), "passenger-status-" + name + "-reader");
      thread.setDaemon(true);
      thread.start();
    }

    private void drain(InputStream input, long limit, Process killOnOverflow) {
      byte[] chunk = new byte[8192];
      try (input) {
        int read;
        while ((read = input.read(chunk)) >= 0) {
          synchronized (buffer) {
            int room = (int) Math.max(0, Math.min(read, limit - buffer.size()));
            buffer.write(chunk, 0, room);
            if (room < read && !overflowed) {
              overflowed = true;
              if (killOnOverflow != null) {
                killTree(killOnOverflow);
                return;
              }
            }
          }
        }
      } catch (IOException ex) {
        // The pipe closes under us when the process is killed; what was read is kept.
      }
    }

    boolean await(long deadline) throws InterruptedException {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline))));
      return !thread.isAlive();
    }

    boolean overflowed() {
      return overflowed;
    }

    byte[] bytes() {
      synchronized (buffer) {
        return buffer.toByteArray();
      }
    }

    String text() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }
  }
}
