package io.github.obskit.logging;

import ch.qos.logback.core.util.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What a {@link BatchWriter}'s thread is doing and since when, written by that thread and read by
 * its {@link StallWatchdog}: whether it works (encodes or writes) rather than waits for events,
 * when it last completed a write, and when the write in progress started.
 */
final class WriterProgress {

  private final long stallTimeoutNanos;

  private volatile boolean working;

  // When the writer last completed a write, or started working (System.nanoTime).
  private volatile long lastProgressNanos = System.nanoTime();

  // When the write in progress started (System.nanoTime), 0 between writes.
  private volatile long writeStartedNanos;

  WriterProgress(long stallTimeoutNanos) {
    this.stallTimeoutNanos = stallTimeoutNanos;
  }

  /** The writer waits for events or for the interval. */
  void waiting() {
    this.working = false;
  }

  /** The writer starts encoding and writing what it took. */
  void working() {
    this.lastProgressNanos = System.nanoTime();
    this.working = true;
  }

  void writeStarted() {
    this.writeStartedNanos = Math.max(System.nanoTime(), 1);
  }

  void writeEnded() {
    this.writeStartedNanos = 0;
  }

  void writeCompleted() {
    this.lastProgressNanos = System.nanoTime();
  }

  /**
   * Why the writer makes no progress: it works and has completed no write for {@code stallTimeout};
   * {@code null} while it makes progress or waits.
   *
   * @param threadState the state of the writer's thread, named when no write is blocked
   * @param waitingEvents the events queued or in the writer's hands, counted only for a stall
   */
  String stallReason(Supplier<Thread.State> threadState, IntSupplier waitingEvents) {
    long now = System.nanoTime();
    long quiet = now - this.lastProgressNanos;
    if (!this.working || quiet <= this.stallTimeoutNanos) {
      return null;
    }
    long writeStarted = this.writeStartedNanos;
    String cause =
        (writeStarted != 0)
            ? "a write to stdout has been blocked for "
                + duration(now - writeStarted)
                + " (stdout is not read, or too slowly)"
            : "the writer thread has not completed a write (state "
                + threadState.get()
                + "; long garbage collection pauses, a starved CPU or a slow encoder)";
    return "no log line written for "
        + duration(quiet)
        + " with "
        + waitingEvents.getAsInt()
        + " events waiting: "
        + cause;
  }

  private static String duration(long nanos) {
    return Duration.buildByMilliseconds(TimeUnit.NANOSECONDS.toMillis(nanos)).toString();
  }
}
