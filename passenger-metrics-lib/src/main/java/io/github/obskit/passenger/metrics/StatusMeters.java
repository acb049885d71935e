package io.github.obskit.passenger.metrics;

import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.ProcessStatus;
import io.github.obskit.passenger.status.SupergroupStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MultiGauge.Row;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The series that describe one status, in one registry. Each family is a {@link MultiGauge} given
 * the rows of every new status, so rows that vanish (an application, a process, the whole status
 * after a failed read) are removed; the processed counters are removed by hand. The values are
 * those of the status applied last: nothing here reads or waits.
 *
 * <p>A value Passenger cannot report (a negative count) leaves its series out rather than exporting
 * an impossible number; a counter is never NaN.
 */
final class StatusMeters {

  private static final String SUPERGROUP = "supergroup";

  private static final String PID = "pid";

  // A point in time has no BaseUnits constant; Prometheus renders the name with _seconds.
  private static final String SECONDS = "seconds";

  private final MeterRegistry registry;

  private final boolean perProcess;

  private final Family info;

  private final Family poolMax;

  private final Family processes;

  private final Family capacityUsed;

  private final Family waitListSize;

  private final Family supergroupCapacityUsed;

  private final Family supergroupWaitListSize;

  private final Family processCpu;

  private final Family processMemory;

  private final Family processSessions;

  private final Family processStartTime;

  private final List<Family> families;

  // The counters' values, by their tags; the counters read them, so they must stay reachable.
  private final Map<Tags, Processed> processed = new HashMap<>();

  StatusMeters(MeterRegistry registry, boolean perProcess) {
    this.registry = registry;
    this.perProcess = perProcess;
    this.info = family("passenger.info", "Passenger version (info/passenger_version); always 1");
    this.poolMax = family("passenger.pool.max", "Pool max size (info/max)");
    this.processes =
        family("passenger.processes", "Processes in the instance (info/process_count)");
    this.capacityUsed =
        family("passenger.capacity.used", "Capacity used by the instance (info/capacity_used)");
    this.waitListSize =
        family(
            "passenger.get.wait.list.size",
            "Requests waiting in the instance-wide queue (info/get_wait_list_size)");
    this.supergroupCapacityUsed =
        family(
            "passenger.supergroup.capacity.used",
            "Capacity used by the application (supergroup/capacity_used)");
    this.supergroupWaitListSize =
        family(
            "passenger.supergroup.get.wait.list.size",
            "Requests queued for the application, summed over its groups"
                + " (supergroup/group/get_wait_list_size)");
    this.processCpu =
        family(
            "passenger.process.cpu",
            "CPU usage of the process in percent, as reported by ps (process/cpu)");
    this.processMemory =
        new Family(
            MultiGauge.builder("passenger.process.memory")
                .description(
                    "Real memory of the process (process/real_memory, KB converted to bytes)")
                .baseUnit(BaseUnits.BYTES)
                .register(registry));
    this.processSessions =
        family("passenger.process.sessions", "Open sessions of the process (process/sessions)");
    this.processStartTime =
        new Family(
            MultiGauge.builder("passenger.process.start.time")
                .description(
                    "When the process finished spawning, since the epoch (process/spawn_end_time)")
                .baseUnit(SECONDS)
                .register(registry));
    this.families =
        List.of(
            this.info,
            this.poolMax,
            this.processes,
            this.capacityUsed,
            this.waitListSize,
            this.supergroupCapacityUsed,
            this.supergroupWaitListSize,
            this.processCpu,
            this.processMemory,
            this.processSessions,
            this.processStartTime);
  }

  private Family family(String name, String description) {
    return new Family(MultiGauge.builder(name).description(description).register(this.registry));
  }

  /**
   * Shows {@code status}, or no status series at all when it is {@code null}.
   *
   * @param status the status to show, or {@code null} after a failed read
   */
  void apply(PassengerStatus status) {
    if (status == null) {
      removeAll();
      return;
    }
    this.info.show(Map.of(Tags.of("version", status.passengerVersion()), 1.0));
    // An instance serving no application answers without a pool max; 0 would read as "no room".
    this.poolMax.show(
        status.poolMax().isPresent() ? count(Tags.empty(), status.poolMax().getAsInt()) : Map.of());
    this.processes.show(count(Tags.empty(), status.processCount()));
    this.capacityUsed.show(count(Tags.empty(), status.capacityUsed()));
    this.waitListSize.show(count(Tags.empty(), status.waitListSize()));
    Map<Tags, Double> supergroupCapacity = new LinkedHashMap<>();
    Map<Tags, Double> supergroupQueue = new LinkedHashMap<>();
    ProcessRows rows = new ProcessRows();
    for (SupergroupStatus supergroup : status.supergroups()) {
      Tags tags = Tags.of(SUPERGROUP, supergroup.name());
      supergroupCapacity.putAll(count(tags, supergroup.capacityUsed()));
      supergroupQueue.putAll(count(tags, supergroup.waitListSize()));
      if (this.perProcess) {
        for (ProcessStatus process : supergroup.processes()) {
          rows.add(supergroup.name(), process);
        }
      }
    }
    this.supergroupCapacityUsed.show(supergroupCapacity);
    this.supergroupWaitListSize.show(supergroupQueue);
    this.processCpu.show(rows.cpu);
    this.processMemory.show(rows.memory);
    this.processSessions.show(rows.sessions);
    this.processStartTime.show(rows.startTime);
    applyProcessed(rows.processed);
  }

  /** Removes every series of this status from the registry. */
  void removeAll() {
    this.families.forEach(family -> family.show(Map.of()));
    applyProcessed(Map.of());
  }

  private void applyProcessed(Map<Tags, Long> values) {
    this.processed
        .entrySet()
        .removeIf(
            entry -> {
              if (values.containsKey(entry.getKey())) {
                return false;
              }
              this.registry.remove(entry.getValue().counter);
              return true;
            });
    values.forEach(
        (tags, value) ->
            this.processed.computeIfAbsent(tags, this::registerProcessed).value.set(value));
  }

  private Processed registerProcessed(Tags tags) {
    AtomicLong value = new AtomicLong();
    FunctionCounter counter =
        FunctionCounter.builder("passenger.process.processed", value, AtomicLong::get)
            .description(
                "Requests processed by the process since it started (process/processed);"
                    + " restarts with a new pid")
            .tags(tags)
            .register(this.registry);
    return new Processed(value, counter);
  }

  private static Map<Tags, Double> count(Tags tags, double value) {
    return (value >= 0) ? Map.of(tags, value) : Map.of();
  }

  private static double epochSeconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }

  private record Processed(AtomicLong value, FunctionCounter counter) {}

  /** A value a row's gauge reads; the same one for as long as the row exists. */
  private static final class Value {

    private volatile double value;

    double get() {
      return this.value;
    }
  }

  /**
   * One family: its {@link MultiGauge} and the values of its rows. A row that stays keeps its gauge
   * (only its value changes), so a new status costs the registry only the rows that come and go,
   * not a removal and registration of every series.
   */
  private static final class Family {

    private final MultiGauge gauge;

    private final Map<Tags, Value> values = new HashMap<>();

    Family(MultiGauge gauge) {
      this.gauge = gauge;
    }

    void show(Map<Tags, Double> rows) {
      this.values.keySet().retainAll(rows.keySet());
      List<Row<?>> registered = new ArrayList<>(rows.size());
      rows.forEach(
          (tags, number) -> {
            Value value = this.values.computeIfAbsent(tags, key -> new Value());
            value.value = number;
            registered.add(Row.of(tags, value, Value::get));
          });
      // Not overwritten: a row that stays keeps its gauge, which reads the same Value.
      this.gauge.register(registered, false);
    }
  }

  /** The per-process rows of one status. */
  private static final class ProcessRows {

    final Map<Tags, Double> cpu = new LinkedHashMap<>();

    final Map<Tags, Double> memory = new LinkedHashMap<>();

    final Map<Tags, Double> sessions = new LinkedHashMap<>();

    final Map<Tags, Double> startTime = new LinkedHashMap<>();

    final Map<Tags, Long> processed = new HashMap<>();

    void add(String supergroup, ProcessStatus process) {
      Tags tags = Tags.of(SUPERGROUP, supergroup, PID, Long.toString(process.pid()));
      process.cpuPercent().ifPresent(cpu -> this.cpu.putAll(count(tags, cpu)));
      process.realMemoryBytes().ifPresent(bytes -> this.memory.putAll(count(tags, bytes)));
      this.sessions.putAll(count(tags, process.sessions()));
      process.spawnEndTime().ifPresent(time -> this.startTime.put(tags, epochSeconds(time)));
      if (process.processed() >= 0) {
        this.processed.put(tags, process.processed());
      }
    }
  }
}
