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
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * <p>Every delegate read is numbered in the order it starts; {@link #readOutcome()} returns that
 * number with the outcome, so a caller counts failures per read rather than per exception instance:
 * a timeout and the late outcome of the same stuck read carry the same number.
 */
public final class CachingStatusSource implements PassengerStatusSource, AutoCloseable {

  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  private final PassengerStatusSource delegate;

  private final long ttlNanos;

  private final long timeoutNanos;

  private final Clock clock;

  private final ExecutorService executor;

  private final Object lock = new Object();

  private final AtomicLong readNumbers = new AtomicLong();

  // guarded by lock
  private Outcome cached;

  // guarded by lock
  private CompletableFuture<Outcome> inFlight;

  // guarded by lock; the number of the read in flight
  private long inFlightNumber;

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
    return readOutcome().get();
  }

  /**
   * Reads as {@link #read()} does, returning a failure instead of throwing it.
   *
   * @return the outcome of the shared read, with the number of the delegate read it comes from
   */
  public Outcome readOutcome() {
    CompletableFuture<Outcome> read;
    synchronized (this.lock) {
      Outcome entry = this.cached;
      if (entry != null && isFresh(entry)) {
        return entry;
      }
      if (this.inFlight == null || this.inFlight.isDone()) {
        this.inFlight = startRead();
      }
      read = this.inFlight;
    }
    return await(read);
  }

  /**
   * How long the most recent completed or abandoned read took; {@link Duration#ZERO} before the
   * first read. A read the caller gave up on counts as the timeout.
   */
  public Duration lastReadDuration() {
    synchronized (this.lock) {
      return (this.cached != null) ? this.cached.readDuration() : Duration.ZERO;
    }
  }

  /** Stops the reader thread; a read in progress is interrupted. */
  @Override
  public void close() {
    this.executor.shutdownNow();
  }

  private boolean isFresh(Outcome entry) {
    return this.clock.monotonicTime() - entry.completedAtNanos < this.ttlNanos;
  }

  private CompletableFuture<Outcome> startRead() {
    CompletableFuture<Outcome> read = new CompletableFuture<>();
    long number = this.readNumbers.incrementAndGet();
    this.inFlightNumber = number;
    try {
      this.executor.execute(() -> readInto(read, number));
    } catch (RuntimeException ex) {
      return CompletableFuture.completedFuture(
          new Outcome(
              number,
              null,
              new PassengerStatusException(Reason.IO, "the status source is closed", ex),
              this.clock.monotonicTime(),
              0));
    }
    return read;
  }

  private void readInto(CompletableFuture<Outcome> read, long number) {
    long start = this.clock.monotonicTime();
    try {
      PassengerStatus status =
          Objects.requireNonNull(this.delegate.read(), "the source returned no status");
      store(read, finished(number, start, status, null));
    } catch (PassengerStatusException ex) {
      store(read, finished(number, start, null, ex));
    } catch (RuntimeException ex) {
      // A bug in a source must not escape to the scrape; it becomes a bounded, logged failure.
      store(read, failedWith(number, start, ex));
    } catch (Error error) {
      // The read must complete whatever happens: its waiters would otherwise wait for it until the
      // timeout, and since a read in flight is never started twice, the source would never be
      // read again. The error itself (out of memory, stack overflow) is not ours to swallow; it
      // goes on to the reader thread, which the executor replaces.
      store(read, failedWith(number, start, error));
      throw error;
    }
  }

  private Outcome failedWith(long number, long start, Throwable problem) {
    return finished(
        number,
        start,
        null,
        new PassengerStatusException(Reason.IO, "the status source failed: " + problem, problem));
  }

  private Outcome finished(
      long number, long start, PassengerStatus status, PassengerStatusException failure) {
    long end = this.clock.monotonicTime();
    return new Outcome(number, status, failure, end, end - start);
  }

  private void store(CompletableFuture<Outcome> read, Outcome entry) {
    synchronized (this.lock) {
      Outcome outcome = entry;
      if (entry.failure != null && this.abandoned != null && this.abandoned.read() == read) {
        // Callers already got this read's failure: the timeout they gave up with. Its late
        // failure (often the source's own timeout, when both have the same) is the same failed
        // read, and a new exception instance would count it a second time.
        outcome =
            new Outcome(
                entry.sequence,
                null,
                this.abandoned.timeout(),
                entry.completedAtNanos,
                entry.durationNanos);
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

  private Outcome await(CompletableFuture<Outcome> read) {
    try {
      return read.get(this.timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException ex) {
      return timedOut(read);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return failedWhileWaiting(
          new PassengerStatusException(
              Reason.TIMEOUT, "interrupted while waiting for the Passenger status", ex));
    } catch (ExecutionException ex) {
      return failedWhileWaiting(
          new PassengerStatusException(Reason.IO, "reading the Passenger status failed", ex));
    }
  }

  // Not the read's outcome but this caller's: it gets a number of its own, so it is one failure.
  private Outcome failedWhileWaiting(PassengerStatusException failure) {
    return new Outcome(
        this.readNumbers.incrementAndGet(), null, failure, this.clock.monotonicTime(), 0);
  }

  private Outcome timedOut(CompletableFuture<Outcome> read) {
    synchronized (this.lock) {
      if (read.isDone()) {
        return read.join();
      }
      if (this.abandoned == null || this.abandoned.read() != read) {
        this.abandoned =
            new AbandonedRead(
                read,
                this.inFlightNumber,
                new PassengerStatusException(
                    Reason.TIMEOUT,
                    "the Passenger status was not read within "
                        + Duration.ofNanos(this.timeoutNanos).toMillis()
                        + " ms"));
      }
      // Cache the timeout so that the next callers within the ttl fail fast instead of each
      // waiting the full timeout for the same stuck read; the entry is new so that its ttl starts
      // now, the exception is the read's so that the read is one failure and not one per caller.
      Outcome entry =
          new Outcome(
              this.abandoned.number(),
              null,
              this.abandoned.timeout(),
              this.clock.monotonicTime(),
              this.timeoutNanos);
      this.cached = entry;
      return entry;
    }
  }

  private record AbandonedRead(
      CompletableFuture<Outcome> read, long number, PassengerStatusException timeout) {}

  /**
   * The outcome of one read: a status or the failure, never both.
   *
   * @param sequence the number of the delegate read, in the order reads started; a timeout carries
   *     the number of the read it gave up on
   * @param status the status, or {@code null} when the read failed
   * @param failure why the read failed, or {@code null}
   * @param completedAtNanos the clock's monotonic time when the outcome became known
   * @param durationNanos how long the read took; the timeout if the caller gave up on it
   */
  public record Outcome(
      long sequence,
      PassengerStatus status,
      PassengerStatusException failure,
      long completedAtNanos,
      long durationNanos) {

    /** Whether the read returned a status. */
    public boolean succeeded() {
      return this.status != null;
    }

    /** How long the read took; the timeout if the caller gave up on it. */
    public Duration readDuration() {
      return Duration.ofNanos(this.durationNanos);
    }

    PassengerStatus get() throws PassengerStatusException {
      if (this.failure != null) {
        throw this.failure;
      }
      return this.status;
    }
  }
}
