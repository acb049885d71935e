package io.github.obskit.passenger.metrics;

import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.github.obskit.passenger.status.ProcessStatus;
import io.github.obskit.passenger.status.SupergroupStatus;
import io.github.obskit.passenger.status.source.CachingStatusSource;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Exposes a Passenger status as Micrometer meters named as in the obskit metric contract ({@code
 * passenger_up}, {@code passenger_process_memory_bytes}, …).
 *
 * <p>The status is read through a {@link CachingStatusSource}: one read per time-to-live however
 * many gauges and scrapes ask, and no caller blocked longer than the timeout. A read happens when
 * {@code passenger.up}, {@code passenger.scrape.duration} or {@code passenger.scrape.errors} is
 * measured, or when {@link #refresh()} is called. Series that describe the status (per instance,
 * per application, per process) exist only while a status is known: they are removed when a read
 * fails and when their application or process disappears, so a recycled process shows up as a new
 * {@code pid} series whose counter starts again. A failed read never throws out of a gauge; it sets
 * {@code passenger.up} to 0, counts {@code passenger.scrape.errors} with a bounded {@code reason}
 * and is logged once per change of state.
 *
 * <p>A registry's scrape can only include the series that existed when it began. Code that owns the
 * scrape (the CLI, a dedicated endpoint) calls {@link #refresh()} first so each scrape is
 * consistent; elsewhere series added or removed by a read appear from the next scrape on.
 */
public final class PassengerMetrics implements MeterBinder, AutoCloseable {

  /** Default time a read of the status is shared for. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(5);

  /** Default time a scrape waits for the status at most. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final System.Logger LOGGER = System.getLogger(PassengerMetrics.class.getName());

  private static final String SUPERGROUP = "supergroup";

  private static final String PID = "pid";

  // A point in time has no BaseUnits constant; Prometheus renders the name with _seconds.
  private static final String SECONDS = "seconds";

  private final CachingStatusSource source;

  private final boolean perProcess;

  private final Map<Reason, AtomicLong> errors = new EnumMap<>(Reason.class);

  private final Object lock = new Object();

  // Numbers the refreshes in the order they start. Ordering by start errs on the safe side: a
  // refresh that started earlier but read later is dropped too, and the next one shows its read.
  private final AtomicLong refreshes = new AtomicLong();

  // guarded by lock; the number of the refresh whose outcome the series show
  private long appliedRefresh;

  // guarded by lock; the meters this binder registered, per registry, keyed by series
  private final Map<MeterRegistry, Registered> registries = new IdentityHashMap<>();

  // guarded by lock
  private PassengerStatus lastStatus;

  // guarded by lock
  private PassengerStatusException lastFailure;

  private volatile View view = View.UNKNOWN;

  private PassengerMetrics(Builder builder) {
    this(builder.source, builder.perProcess, builder.cacheTtl, builder.timeout, Clock.SYSTEM);
  }

  PassengerMetrics(
      PassengerStatusSource source,
      boolean perProcess,
      Duration cacheTtl,
      Duration timeout,
      Clock clock) {
    if (cacheTtl.isNegative() || cacheTtl.isZero()) {
      // Several meters ask for the status in each scrape; only a positive ttl makes them share it.
      throw new IllegalArgumentException("cacheTtl must be positive: " + cacheTtl);
    }
    this.source = new CachingStatusSource(source, cacheTtl, timeout, clock);
    this.perProcess = perProcess;
    for (Reason reason : Reason.values()) {
      this.errors.put(reason, new AtomicLong());
    }
  }

  /**
   * Starts building a binder.
   *
   * @param source where the status comes from
   * @return a builder with per-process metrics on, {@link #DEFAULT_CACHE_TTL} and {@link
   *     #DEFAULT_TIMEOUT}
   */
  public static Builder builder(PassengerStatusSource source) {
    return new Builder(source);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    List<Meter> fixed = new ArrayList<>();
    fixed.add(
        Gauge.builder("passenger.up", this, PassengerMetrics::refreshAndReportUp)
            .description("1 if the last read of the Passenger status succeeded, 0 otherwise")
            .strongReference(true)
            .register(registry));
    fixed.add(
        TimeGauge.builder(
                "passenger.scrape.duration",
                this,
                TimeUnit.NANOSECONDS,
                PassengerMetrics::refreshAndReportReadNanos)
            .description(
                "Time the last read of the Passenger status took (the timeout if it did not finish)")
            .strongReference(true)
            .register(registry));
    for (Reason reason : Reason.values()) {
      AtomicLong count = this.errors.get(reason);
      fixed.add(
          FunctionCounter.builder(
                  "passenger.scrape.errors", this, metrics -> metrics.refreshAnd(count))
              .description("Failed reads of the Passenger status, by bounded reason")
              .tag("reason", reason.tagValue())
              .register(registry));
    }
    synchronized (this.lock) {
      Registered registered = new Registered(registry, fixed);
      this.registries.put(registry, registered);
      registered.apply(desiredSeries(this.view));
    }
  }

  /**
   * Reads the status (through the cache) and updates all series. Never throws for a failed read;
   * the failure is reported through {@code passenger.up} and {@code passenger.scrape.errors}. Safe
   * to call from several threads: a refresh that started before the one whose outcome the series
   * show changes nothing: a slow read does not bring back an older status. A refresh paused before
   * its read for longer than the cache's time-to-live can still apply an older status than one
   * applied meanwhile; the next refresh corrects it.
   */
  public void refresh() {
    refreshFrom(this.source);
  }

  // Tests pass a source of their own to make two refreshes' reads overlap on the callers' threads;
  // through the cache, whose reads are single flight, that takes a refresh descheduled between its
  // read and applying it.
  void refreshFrom(PassengerStatusSource reads) {
    // Taken before the read: a refresh can be descheduled between its read and the lock for longer
    // than the cache's ttl, and a later refresh may meanwhile have read and applied a newer status.
    long refresh = this.refreshes.incrementAndGet();
    PassengerStatus status = null;
    PassengerStatusException failure = null;
    try {
      status = reads.read();
    } catch (PassengerStatusException ex) {
      failure = ex;
    }
    synchronized (this.lock) {
      if (refresh < this.appliedRefresh) {
        // Older than what the series show, success or failure alike: applying it would bring back
        // series a newer status removed, or report down after a newer read succeeded. A dropped
        // failure is not counted either; it was superseded before it became the known state.
        return;
      }
      this.appliedRefresh = refresh;
      if (status != null) {
        succeeded(status);
      } else {
        failed(failure);
      }
    }
  }

  /**
   * Why the most recent read failed.
   *
   * @return the failure, or empty when the last read succeeded or none happened yet
   */
  public Optional<PassengerStatusException> lastFailure() {
    synchronized (this.lock) {
      return Optional.ofNullable(this.lastFailure);
    }
  }

  /** Removes every meter this binder registered and stops its reader thread. */
  @Override
  public void close() {
    synchronized (this.lock) {
      for (Registered registered : this.registries.values()) {
        registered.removeAll();
      }
      this.registries.clear();
    }
    this.source.close();
  }

  private void succeeded(PassengerStatus status) {
    if (status == this.lastStatus) {
      return;
    }
    if (this.lastFailure != null) {
      LOGGER.log(Level.INFO, "Passenger status readable again");
    }
    this.lastStatus = status;
    this.lastFailure = null;
    update(new View(status));
  }

  private void failed(PassengerStatusException failure) {
    if (failure == this.lastFailure) {
      return;
    }
    this.errors.get(failure.reason()).incrementAndGet();
    if (this.lastFailure == null || this.lastFailure.reason() != failure.reason()) {
      LOGGER.log(
          Level.WARNING,
          "Passenger status unavailable ("
              + failure.reason().tagValue()
              + "): "
              + failure.getMessage());
    }
    this.lastFailure = failure;
    this.lastStatus = null;
    update(View.DOWN);
  }

  private void update(View next) {
    this.view = next;
    Map<String, Series> desired = desiredSeries(next);
    for (Registered registered : this.registries.values()) {
      registered.apply(desired);
    }
  }

  // The registry measures these three in an order of its own; whichever comes first reads the
  // status (the cache makes the other two cheap), so they agree within one scrape.
  private static double refreshAndReportReadNanos(PassengerMetrics metrics) {
    metrics.refresh();
    return metrics.source.lastReadDuration().toNanos();
  }

  private double refreshAnd(AtomicLong count) {
    refresh();
    return count.get();
  }

  private static double refreshAndReportUp(PassengerMetrics metrics) {
    metrics.refresh();
    return (metrics.view.status != null) ? 1 : 0;
  }

  private Map<String, Series> desiredSeries(View view) {
    Map<String, Series> series = new LinkedHashMap<>();
    PassengerStatus status = view.status;
    if (status == null) {
      return series;
    }
    add(
        series,
        gauge(
            "passenger.info",
            Tags.of("version", status.passengerVersion()),
            "Passenger version (info/passenger_version); always 1",
            null,
            s -> 1));
    if (status.poolMax().isPresent()) {
      // An instance serving no application answers without it; 0 would read as "no room".
      add(
          series,
          gauge(
              "passenger.pool.max",
              Tags.empty(),
              "Pool max size (info/max)",
              null,
              s -> s.poolMax().isPresent() ? s.poolMax().getAsInt() : Double.NaN));
    }
    add(
        series,
        gauge(
            "passenger.processes",
            Tags.empty(),
            "Processes in the instance (info/process_count)",
            null,
            s -> s.processCount()));
    add(
        series,
        gauge(
            "passenger.capacity.used",
            Tags.empty(),
            "Capacity used by the instance (info/capacity_used)",
            null,
            s -> s.capacityUsed()));
    add(
        series,
        gauge(
            "passenger.get.wait.list.size",
            Tags.empty(),
            "Requests waiting in the instance-wide queue (info/get_wait_list_size)",
            null,
            s -> s.waitListSize()));
    for (SupergroupStatus supergroup : status.supergroups()) {
      String name = supergroup.name();
      Tags tags = Tags.of(SUPERGROUP, name);
      add(
          series,
          supergroupGauge(
              "passenger.supergroup.capacity.used",
              tags,
              "Capacity used by the application (supergroup/capacity_used)",
              name,
              SupergroupStatus::capacityUsed));
      add(
          series,
          supergroupGauge(
              "passenger.supergroup.get.wait.list.size",
              tags,
              "Requests queued for the application, summed over its groups"
                  + " (supergroup/group/get_wait_list_size)",
              name,
              SupergroupStatus::waitListSize));
      if (this.perProcess) {
        for (ProcessStatus process : supergroup.processes()) {
          addProcessSeries(series, name, process);
        }
      }
    }
    return series;
  }

  private void addProcessSeries(Map<String, Series> series, String supergroup, ProcessStatus p) {
    ProcessKey key = new ProcessKey(supergroup, p.pid());
    Tags tags = Tags.of(SUPERGROUP, supergroup, PID, Long.toString(p.pid()));
    if (p.cpuPercent().isPresent()) {
      add(
          series,
          processGauge(
              "passenger.process.cpu",
              tags,
              "CPU usage of the process in percent, as reported by ps (process/cpu)",
              null,
              key,
              process -> process.cpuPercent().orElse(Double.NaN)));
    }
    if (p.realMemoryBytes().isPresent()) {
      add(
          series,
          processGauge(
              "passenger.process.memory",
              tags,
              "Real memory of the process (process/real_memory, KB converted to bytes)",
              BaseUnits.BYTES,
              key,
              process -> process.realMemoryBytes().orElse(-1)));
    }
    add(
        series,
        processGauge(
            "passenger.process.sessions",
            tags,
            "Open sessions of the process (process/sessions)",
            null,
            key,
            ProcessStatus::sessions));
    if (p.spawnEndTime().isPresent()) {
      add(
          series,
          processGauge(
              "passenger.process.start.time",
              tags,
              "When the process finished spawning, since the epoch (process/spawn_end_time)",
              SECONDS,
              key,
              process -> process.spawnEndTime().map(PassengerMetrics::epochSeconds).orElse(-1.0)));
    }
    add(
        series,
        new Series(
            "passenger.process.processed",
            tags,
            registry ->
                FunctionCounter.builder(
                        "passenger.process.processed",
                        this,
                        metrics -> metrics.processValue(key, ProcessStatus::processed))
                    .description(
                        "Requests processed by the process since it started (process/processed);"
                            + " restarts with a new pid")
                    .tags(tags)
                    .register(registry)));
  }

  private static double epochSeconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }

  private static void add(Map<String, Series> series, Series one) {
    series.put(one.key(), one);
  }

  private Series gauge(
      String name,
      Tags tags,
      String description,
      String baseUnit,
      ToDoubleFunction<PassengerStatus> value) {
    return gaugeSeries(
        name,
        tags,
        description,
        baseUnit,
        metrics -> {
          PassengerStatus status = metrics.view.status;
          return (status != null) ? value.applyAsDouble(status) : Double.NaN;
        });
  }

  private Series supergroupGauge(
      String name,
      Tags tags,
      String description,
      String supergroup,
      ToDoubleFunction<SupergroupStatus> value) {
    return gaugeSeries(
        name,
        tags,
        description,
        null,
        metrics -> {
          SupergroupStatus status = metrics.view.supergroups.get(supergroup);
          return (status != null) ? value.applyAsDouble(status) : Double.NaN;
        });
  }

  private Series processGauge(
      String name,
      Tags tags,
      String description,
      String baseUnit,
      ProcessKey key,
      ToDoubleFunction<ProcessStatus> value) {
    return gaugeSeries(
        name, tags, description, baseUnit, metrics -> metrics.processValue(key, value));
  }

  private double processValue(ProcessKey key, ToDoubleFunction<ProcessStatus> value) {
    ProcessStatus process = this.view.processes.get(key);
    if (process == null) {
      return Double.NaN;
    }
    double result = value.applyAsDouble(process);
    return (result < 0) ? Double.NaN : result;
  }

  private Series gaugeSeries(
      String name,
      Tags tags,
      String description,
      String baseUnit,
      ToDoubleFunction<PassengerMetrics> value) {
    return new Series(
        name,
        tags,
        registry ->
            Gauge.builder(name, this, value)
                .description(description)
                .baseUnit(baseUnit)
                .tags(tags)
                .strongReference(true)
                .register(registry));
  }

  /** Builds a {@link PassengerMetrics}. */
  public static final class Builder {

    private final PassengerStatusSource source;

    private boolean perProcess = true;

    private Duration cacheTtl = DEFAULT_CACHE_TTL;

    private Duration timeout = DEFAULT_TIMEOUT;

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
     * How long one read of the status is shared by all gauges and scrapes.
     *
     * @param cacheTtl the time-to-live, positive
     * @return this builder
     */
    public Builder cacheTtl(Duration cacheTtl) {
      this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
      return this;
    }

    /**
     * How long a scrape waits for the status at most; a slower read reports {@code
     * reason="timeout"}.
     *
     * @param timeout the timeout, positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Creates the binder. */
    public PassengerMetrics build() {
      return new PassengerMetrics(this);
    }
  }

  /** One series this binder may register: its identity and how to register it. */
  private record Series(String name, Tags tags, Function<MeterRegistry, Meter> register) {

    String key() {
      return this.name + this.tags;
    }
  }

  private record ProcessKey(String supergroup, long pid) {}

  /** The meters registered in one registry, by {@link Series#key()}. */
  private static final class Registered {

    private final MeterRegistry registry;

    private final List<Meter> fixed;

    private final Map<String, Meter> meters = new HashMap<>();

    Registered(MeterRegistry registry, List<Meter> fixed) {
      this.registry = registry;
      this.fixed = fixed;
    }

    void apply(Map<String, Series> desired) {
      List<String> gone = new ArrayList<>();
      for (Map.Entry<String, Meter> entry : this.meters.entrySet()) {
        if (!desired.containsKey(entry.getKey())) {
          this.registry.remove(entry.getValue());
          gone.add(entry.getKey());
        }
      }
      gone.forEach(this.meters::remove);
      for (Series series : desired.values()) {
        this.meters.computeIfAbsent(series.key(), key -> series.register().apply(this.registry));
      }
    }

    void removeAll() {
      this.meters.values().forEach(this.registry::remove);
      this.meters.clear();
      this.fixed.forEach(this.registry::remove);
    }
  }

  /** The last known status, indexed for the value functions. */
  private static final class View {

    static final View UNKNOWN = new View(null);

    static final View DOWN = new View(null);

    final PassengerStatus status;

    final Map<String, SupergroupStatus> supergroups = new HashMap<>();

    final Map<ProcessKey, ProcessStatus> processes = new HashMap<>();

    View(PassengerStatus status) {
      this.status = status;
      if (status != null) {
        for (SupergroupStatus supergroup : status.supergroups()) {
          this.supergroups.put(supergroup.name(), supergroup);
          for (ProcessStatus process : supergroup.processes()) {
            this.processes.put(new ProcessKey(supergroup.name(), process.pid()), process);
          }
        }
      }
    }
  }
}
