package io.github.obskit.passenger.metrics;

import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.github.obskit.passenger.status.UntrustedText;
import io.github.obskit.passenger.status.source.CachingStatusSource.Outcome;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exposes a Passenger status as Micrometer meters named as in the obskit metric contract ({@code
 * passenger_up}, {@code passenger_process_memory_bytes}, …).
 *
 * <p>Reading and metering are separate. Reads go through a cache (one read per time-to-live however
 * many callers ask, single flight, no caller blocked longer than the timeout) and happen either on
 * demand, when the code that owns the scrape calls {@link #refresh()} before it, or on a schedule,
 * once per time-to-live from the first {@link #bindTo} on (the default, for registries scraped by
 * code that knows nothing of this binder). The meters only show the outcome of the last read: no
 * value function reads, waits or throws, so a Passenger status that hangs cannot slow a scrape of
 * the registry.
 *
 * <p>Series that describe the status (per instance, per application, per process) exist only while
 * a status is known: they are removed when a read fails and when their application or process
 * disappears, so a recycled process shows up as a new {@code pid} series whose counter starts
 * again. A failed read sets {@code passenger.up} to 0, counts {@code passenger.scrape.errors} once
 * per read with a bounded {@code reason}, and is logged once per change of state.
 */
public final class PassengerMetrics implements MeterBinder, AutoCloseable {

  /** Default time a read of the status is shared for, and the period of scheduled reads. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(5);

  /** Default time a refresh waits for the status at most. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final System.Logger LOGGER = System.getLogger(PassengerMetrics.class.getName());

  private final StatusReader reader;

  private final boolean perProcess;

  private final boolean scheduled;

  private final Map<Reason, AtomicLong> errors = new EnumMap<>(Reason.class);

  private final Object lock = new Object();

  // guarded by lock; the meters this binder registered, per registry
  private final Map<MeterRegistry, Bound> registries = new IdentityHashMap<>();

  // guarded by lock; the outcome the series show, null before the first read
  private Outcome shown;

  // guarded by lock; the number of the last read whose failure was counted
  private long countedFailure;

  private volatile boolean up;

  private volatile Duration lastReadDuration = Duration.ZERO;

  private PassengerMetrics(Builder builder) {
    this(
        builder.source,
        builder.perProcess,
        builder.cacheTtl,
        builder.timeout,
        Clock.SYSTEM,
        builder.scheduledReads);
  }

  PassengerMetrics(
      PassengerStatusSource source,
      boolean perProcess,
      Duration cacheTtl,
      Duration timeout,
      Clock clock,
      boolean scheduled) {
    if (cacheTtl.isNegative() || cacheTtl.isZero()) {
      // Scheduled reads run once per ttl, and scrapes share reads only within a positive one.
      throw new IllegalArgumentException("cacheTtl must be positive: " + cacheTtl);
    }
    this.reader = new StatusReader(source, cacheTtl, timeout, clock);
    this.perProcess = perProcess;
    this.scheduled = scheduled;
    for (Reason reason : Reason.values()) {
      this.errors.put(reason, new AtomicLong());
    }
  }

  /**
   * Starts building a binder.
   *
   * @param source where the status comes from
   * @return a builder with per-process metrics on, scheduled reads, {@link #DEFAULT_CACHE_TTL} and
   *     {@link #DEFAULT_TIMEOUT}
   */
  public static Builder builder(PassengerStatusSource source) {
    return new Builder(source);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    List<Meter> fixed = new ArrayList<>();
    fixed.add(
        Gauge.builder("passenger.up", this, metrics -> metrics.up ? 1 : 0)
            .description("1 if the last read of the Passenger status succeeded, 0 otherwise")
            .strongReference(true)
            .register(registry));
    fixed.add(
        TimeGauge.builder(
                "passenger.scrape.duration",
                this,
                TimeUnit.NANOSECONDS,
                metrics -> metrics.lastReadDuration.toNanos())
            .description(
                "Time the last read of the Passenger status took (the timeout if it did not finish)")
            .strongReference(true)
            .register(registry));
    for (Reason reason : Reason.values()) {
      fixed.add(
          FunctionCounter.builder(
                  "passenger.scrape.errors", this.errors.get(reason), AtomicLong::get)
              .description("Failed reads of the Passenger status, by bounded reason")
              .tag("reason", reason.tagValue())
              .register(registry));
    }
    synchronized (this.lock) {
      Bound bound = new Bound(fixed, new StatusMeters(registry, this.perProcess));
      this.registries.put(registry, bound);
      bound.status.apply(shownStatus());
    }
    if (this.scheduled) {
      this.reader.scheduleReads(this::show);
    }
  }

  /**
   * Reads the status (through the cache, waiting at most the timeout) and updates all series. Never
   * throws for a failed read; the failure is reported through {@code passenger.up} and {@code
   * passenger.scrape.errors}. Code that owns the scrape calls it first, so that the scrape shows
   * one consistent, current status. Safe to call from several threads: an outcome older than the
   * one the series show is ignored, so a slow refresh does not bring back an older status.
   */
  public void refresh() {
    show(this.reader.refresh());
  }

  /**
   * Why the most recent read failed.
   *
   * @return the failure, or empty when the last read succeeded or none happened yet
   */
  public Optional<PassengerStatusException> lastFailure() {
    synchronized (this.lock) {
      return Optional.ofNullable((this.shown != null) ? this.shown.failure() : null);
    }
  }

  /** Removes every meter this binder registered and stops its reading threads. */
  @Override
  public void close() {
    this.reader.close();
    synchronized (this.lock) {
      for (Map.Entry<MeterRegistry, Bound> entry : this.registries.entrySet()) {
        entry.getValue().status.removeAll();
        entry.getValue().fixed.forEach(entry.getKey()::remove);
      }
      this.registries.clear();
    }
  }

  /** Makes the series show {@code outcome}, unless they show a newer read already. */
  void show(Outcome outcome) {
    synchronized (this.lock) {
      Outcome before = this.shown;
      if (before != null && (outcome == before || outcome.sequence() < before.sequence())) {
        // The same outcome again (cached), or an older read than the series show.
        return;
      }
      this.shown = outcome;
      this.lastReadDuration = outcome.readDuration();
      this.up = outcome.succeeded();
      // A stuck read's timeout and its late failure carry the same number: one failed read.
      if (!outcome.succeeded() && outcome.sequence() > this.countedFailure) {
        this.countedFailure = outcome.sequence();
        this.errors.get(outcome.failure().reason()).incrementAndGet();
      }
      logStateChange(before, outcome);
      PassengerStatus status = outcome.status();
      for (Bound bound : this.registries.values()) {
        bound.status.apply(status);
      }
    }
  }

  private static void logStateChange(Outcome before, Outcome outcome) {
    if (outcome.succeeded()) {
      if (before != null && !before.succeeded()) {
        LOGGER.log(Level.INFO, "Passenger status readable again");
      }
      return;
    }
    PassengerStatusException failure = outcome.failure();
    if (before == null || before.succeeded() || before.failure().reason() != failure.reason()) {
      LOGGER.log(
          Level.WARNING,
          "Passenger status unavailable ("
              + failure.reason().tagValue()
              + "): "
              + UntrustedText.quote(failure.getMessage()));
    }
  }

  private PassengerStatus shownStatus() {
    return (this.shown != null) ? this.shown.status() : null;
  }

  /** Builds a {@link PassengerMetrics}. */
  public static final class Builder {

    private final PassengerStatusSource source;

    private boolean perProcess = true;

    private Duration cacheTtl = DEFAULT_CACHE_TTL;

    private Duration timeout = DEFAULT_TIMEOUT;

    private boolean scheduledReads = true;

    private Builder(PassengerStatusSource source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Whether to expose the per-process series ({@code passenger_process_*}); on by default. Off
     * keeps the instance and application series only, for hosts with many processes.
     *
     * @param perProcess whether to expose per-process series
     * @return this builder
     */
    public Builder perProcess(boolean perProcess) {
      this.perProcess = perProcess;
      return this;
    }

    /**
     * How long one read of the status is shared by all scrapes, and the period of scheduled reads.
     *
     * @param cacheTtl the time-to-live, positive
     * @return this builder
     */
    public Builder cacheTtl(Duration cacheTtl) {
      this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
      return this;
    }

    /**
     * How long a refresh waits for the status at most; a slower read reports {@code
     * reason="timeout"}.
     *
     * @param timeout the timeout, positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Whether the binder reads the status on its own, once per cache time-to-live from the first
     * {@link PassengerMetrics#bindTo} on; on by default. Switch it off where the code that owns the
     * scrape calls {@link PassengerMetrics#refresh()} before each one (a dedicated endpoint, the
     * CLI): then the status is read only when someone scrapes.
     *
     * @param scheduledReads whether to read on a schedule
     * @return this builder
     */
    public Builder scheduledReads(boolean scheduledReads) {
      this.scheduledReads = scheduledReads;
      return this;
    }

    /** Creates the binder. */
    public PassengerMetrics build() {
      return new PassengerMetrics(this);
    }
  }

  /** What one registry holds of this binder. */
  private record Bound(List<Meter> fixed, StatusMeters status) {}
}
