package io.github.obskit.passenger.status.source;

import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shares one read of a delegate source among all callers within a time-to-live, and bounds how long
 * a caller waits for it.
 *
 * <p>At most one delegate read runs at a time (single flight): concurrent callers wait for the same
 * read. The read runs on a daemon thread owned by this source, so a caller gives up after the
 * timeout with a {@link Reason#TIMEOUT} failure while the read goes on; a stuck read is never
 * started twice, so threads do not pile up. Failures are cached for the time-to-live like
 * successes, so a failing source is not hammered by every scrape; callers within one time-to-live
 * receive the same status instance or the same exception instance. Every caller that gives up on
 * the same stuck read receives the same {@link Reason#TIMEOUT} exception instance, however long the
 * read stays stuck; when the read finally fails, the callers after it receive that instance too
 * (when it succeeds, they receive its status), so one stuck read is one failure to whoever counts
 * failures by instance.
 */
public final class CachingStatusSource implements PassengerStatusSource, AutoCloseable {

  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  private final PassengerStatusSource delegate;

  private final long ttlNanos;

  private final long timeoutNanos;

  private final Clock clock;

  private final ExecutorService executor;

  private final Object lock = new Object();

  // guarded by lock
  private Entry cached;

  // guarded by lock
  private CompletableFuture<Entry> inFlight;

  // guarded by lock; the last read a caller gave up on, with the failure all such callers get
  private AbandonedRead abandoned;

  /**
   * Creates a caching source on the system clock.
   *
   * @param delegate the source to read from
   * @param ttl how long one read is shared; {@link Duration#ZERO} shares only concurrent reads
   * @param timeout how long a caller waits for a read at most
   */
  public CachingStatusSource(PassengerStatusSource delegate, Duration ttl, Duration timeout) {
    this(delegate, ttl, timeout, Clock.SYSTEM);
  }

  /**
   * Creates a caching source.
   *
   * @param delegate the source to read from
   * @param ttl how long one read is shared; {@link Duration#ZERO} shares only concurrent reads
   * @param timeout how long a caller waits for a read at most
   * @param clock the clock whose monotonic time measures the time-to-live
   */
  public CachingStatusSource(
      PassengerStatusSource delegate, Duration ttl, Duration timeout, Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.ttlNanos = ttl.toNanos();
    this.timeoutNanos = timeout.toNanos();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread =
                  new Thread(
                      runnable, "passenger-status-reader-" + THREAD_NUMBER.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public PassengerStatus read() throws PassengerStatusException {
    CompletableFuture<Entry> read;
    synchronized (this.lock) {
      Entry entry = this.cached;
      if (entry != null && isFresh(entry)) {
        return entry.get();
      }
      if (this.inFlight == null || this.inFlight.isDone()) {
        this.inFlight = startRead();
      }
      read = this.inFlight;
    }
    return await(read).get();
  }

  /**
   * How long the most recent completed or abandoned read took; {@link Duration#ZERO} before the
   * first read. A read the caller gave up on counts as the timeout.
   */
  public Duration lastReadDuration() {
    synchronized (this.lock) {
      return (this.cached != null) ? Duration.ofNanos(this.cached.durationNanos) : Duration.ZERO;
    }
  }

  /** Stops the reader thread; a read in progress is interrupted. */
  @Override
  public void close() {
    this.executor.shutdownNow();
  }

  private boolean isFresh(Entry entry) {
    return this.clock.monotonicTime() - entry.completedAtNanos < this.ttlNanos;
  }

  private CompletableFuture<Entry> startRead() {
    CompletableFuture<Entry> read = new CompletableFuture<>();
    try {
      this.executor.execute(() -> readInto(read));
    } catch (RuntimeException ex) {
      return CompletableFuture.completedFuture(
          new Entry(
              null,
              new PassengerStatusException(Reason.IO, "the status source is closed", ex),
              this.clock.monotonicTime(),
              0));
    }
    return read;
  }

  private void readInto(CompletableFuture<Entry> read) {
    long start = this.clock.monotonicTime();
    try {
      PassengerStatus status =
          Objects.requireNonNull(this.delegate.read(), "the source returned no status");
      store(read, finished(start, status, null));
    } catch (PassengerStatusException ex) {
      store(read, finished(start, null, ex));
    } catch (RuntimeException ex) {
      // A bug in a source must not escape to the scrape; it becomes a bounded, logged failure.
      store(read, failedWith(start, ex));
    } catch (Error error) {
      // The read must complete whatever happens: its waiters would otherwise wait for it until the
      // timeout, and since a read in flight is never started twice, the source would never be
      // read again. The error itself (out of memory, stack overflow) is not ours to swallow; it
      // goes on to the reader thread, which the executor replaces.
      store(read, failedWith(start, error));
      throw error;
    }
  }

  private Entry failedWith(long start, Throwable problem) {
    return finished(
        start,
        null,
        new PassengerStatusException(Reason.IO, "the status source failed: " + problem, problem));
  }

  private Entry finished(long start, PassengerStatus status, PassengerStatusException failure) {
    long end = this.clock.monotonicTime();
    return new Entry(status, failure, end, end - start);
  }

  private void store(CompletableFuture<Entry> read, Entry entry) {
    synchronized (this.lock) {
      Entry outcome = entry;
      if (entry.failure != null && this.abandoned != null && this.abandoned.read() == read) {
        // Callers already got this read's failure: the timeout they gave up with. Its late
        // failure (often the source's own timeout, when both have the same) is the same failed
        // read, and a new exception instance would count it a second time.
        outcome =
            new Entry(null, this.abandoned.timeout(), entry.completedAtNanos, entry.durationNanos);
      }
      // Cached before the waiters wake, so a caller that reads again right away hits it; completed
      // under the lock, so a caller timing out meanwhile sees the read done and does not replace
      // the fresh entry with a timeout.
      this.cached = outcome;
      if (this.inFlight == read) {
        this.inFlight = null;
      }
      read.complete(outcome);
    }
  }

  private Entry await(CompletableFuture<Entry> read) throws PassengerStatusException {
    try {
      return read.get(this.timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException ex) {
      return timedOut(read);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new PassengerStatusException(
          Reason.TIMEOUT, "interrupted while waiting for the Passenger status", ex);
    } catch (ExecutionException ex) {
      throw new PassengerStatusException(Reason.IO, "reading the Passenger status failed", ex);
    }
  }

  private Entry timedOut(CompletableFuture<Entry> read) {
    synchronized (this.lock) {
      if (read.isDone()) {
        return read.join();
      }
      if (this.abandoned == null || this.abandoned.read() != read) {
        this.abandoned =
            new AbandonedRead(
                read,
                new PassengerStatusException(
                    Reason.TIMEOUT,
                    "the Passenger status was not read within "
                        + Duration.ofNanos(this.timeoutNanos).toMillis()
                        + " ms"));
      }
      // Cache the timeout so that the next callers within the ttl fail fast instead of each
      // waiting the full timeout for the same stuck read; the entry is new so that its ttl starts
      // now, the exception is the read's so that the read is one failure and not one per caller.
      Entry entry =
          new Entry(null, this.abandoned.timeout(), this.clock.monotonicTime(), this.timeoutNanos);
      this.cached = entry;
      return entry;
    }
  }

  private record AbandonedRead(CompletableFuture<Entry> read, PassengerStatusException timeout) {}

  private record Entry(
      PassengerStatus status,
      PassengerStatusException failure,
      long completedAtNanos,
      long durationNanos) {

    PassengerStatus get() throws PassengerStatusException {
      if (this.failure != null) {
        throw this.failure;
      }
      return this.status;
    }
  }
}
