package io.github.obskit.passenger.metrics;

import io.github.obskit.passenger.status.source.CachingStatusSource;
import io.github.obskit.passenger.status.source.CachingStatusSource.Outcome;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.micrometer.core.instrument.Clock;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Owns the reading side of the binder: the source behind its cache and timeout, and, where nobody
 * calls {@link #refresh()} before a scrape, a schedule that reads on its own.
 */
final class StatusReader implements AutoCloseable {

  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  private static final System.Logger LOGGER = System.getLogger(PassengerMetrics.class.getName());

  private final CachingStatusSource source;

  private final Duration period;

  private final Object lock = new Object();

  // guarded by lock
  private ScheduledExecutorService schedule;

  // guarded by lock
  private boolean closed;

  StatusReader(PassengerStatusSource source, Duration cacheTtl, Duration timeout, Clock clock) {
    this.source = new CachingStatusSource(source, cacheTtl, timeout, clock);
    this.period = cacheTtl;
  }

  /** Reads through the cache; waits at most the timeout. */
  Outcome refresh() {
    return this.source.readOutcome();
  }

  /**
   * Starts reading once per cache time-to-live on a daemon thread of its own, handing each outcome
   * to {@code consumer}; a second call does nothing.
   */
  void scheduleReads(Consumer<Outcome> consumer) {
    synchronized (this.lock) {
      if (this.schedule != null || this.closed) {
        return;
      }
      this.schedule =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread =
                    new Thread(
                        runnable, "passenger-status-schedule-" + THREAD_NUMBER.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      long periodNanos = this.period.toNanos();
      // A fixed delay: a read that takes the whole timeout is not followed by a burst of reads.
      this.schedule.scheduleWithFixedDelay(
          () -> {
            try {
              consumer.accept(refresh());
            } catch (RuntimeException ex) {
              // An exception would cancel the schedule for good, and the series would freeze.
              LOGGER.log(Level.ERROR, "Applying the Passenger status failed", ex);
            }
          },
          0,
          periodNanos,
          TimeUnit.NANOSECONDS);
    }
  }

  /** Stops the schedule and the reader thread; a read in progress is interrupted. */
  @Override
  public void close() {
    synchronized (this.lock) {
      this.closed = true;
      if (this.schedule != null) {
        this.schedule.shutdownNow();
      }
    }
    this.source.close();
  }
}
