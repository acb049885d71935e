package io.github.obskit.e2e;

import java.time.Duration;

/**
 * Upper bounds of the tests' waits for another thread, a server or a child process, shared by every
 * module's tests through the test-jar. They are far above what a loaded two-core CI machine needs,
 * so that only a condition that never comes fails a test; they bound waits for a condition and are
 * never a time the test expects something to take.
 */
public final class Waits {

  /** How long a test waits for a condition: Awaitility's {@code atMost}, a future's result. */
  public static final Duration CONDITION = Duration.ofSeconds(60);

  /** How long a test's HTTP client waits to connect to a local server, then for its answer. */
  public static final Duration HTTP = Duration.ofSeconds(30);

  /**
   * How long a test waits for a program it started in a process of its own (an application in its
   * own JVM, Prometheus, Alertmanager, Passenger) to start and become ready: a Spring Boot start
   * took over 2 minutes on a loaded two-core machine. A program that exits ends the wait at once.
   */
  public static final Duration PROCESS = Duration.ofMinutes(10);

  private Waits() {}
}
