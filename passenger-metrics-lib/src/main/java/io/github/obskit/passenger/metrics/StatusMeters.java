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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The series that describe one status, in one registry. Each family is a {@link MultiGauge}
 * overwritten with every new status, so rows that vanish (an application, a process, the whole
 * status after a failed read) are removed; the processed counters are removed by hand. The values
 * are those of the status applied last: nothing here reads or waits.
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

  private final MultiGauge info;

  private final MultiGauge poolMax;

  private final MultiGauge processes;

  private final MultiGauge capacityUsed;

  private final MultiGauge waitListSize;

  private final MultiGauge supergroupCapacityUsed;

  private final MultiGauge supergroupWaitListSize;

  private final MultiGauge processCpu;

  private final MultiGauge processMemory;

  private final MultiGauge processSessions;

  private final MultiGauge processStartTime;

  // The counters' values, by their tags; the counters read them, so they must stay reachable.
  private final Map<Tags, Processed> processed = new HashMap<>();

  StatusMeters(MeterRegistry registry, boolean perProcess) {
    this.registry = registry;
    this.perProcess = perProcess;
    this.info = gauge("passenger.info", "Passenger version (info/passenger_version); always 1");
    this.poolMax = gauge("passenger.pool.max", "Pool max size (info/max)");
    this.processes = gauge("passenger.processes", "Processes in the instance (info/process_count)");
    this.capacityUsed =
        gauge("passenger.capacity.used", "Capacity used by the instance (info/capacity_used)");
    this.waitListSize =
        gauge(
            "passenger.get.wait.list.size",
            "Requests waiting in the instance-wide queue (info/get_wait_list_size)");
    this.supergroupCapacityUsed =
        gauge(
            "passenger.supergroup.capacity.used",
            "Capacity used by the application (supergroup/capacity_used)");
    this.supergroupWaitListSize =
        gauge(
            "passenger.supergroup.get.wait.list.size",
            "Requests queued for the application, summed over its groups"
                + " (supergroup/group/get_wait_list_size)");
    this.processCpu =
        gauge(
            "passenger.process.cpu",
            "CPU usage of the process in percent, as reported by ps (process/cpu)");
    this.processMemory =
        MultiGauge.builder("passenger.process.memory")
            .description("Real memory of the process (process/real_memory, KB converted to bytes)")
            .baseUnit(BaseUnits.BYTES)
            .register(registry);
    this.processSessions =
        gauge("passenger.process.sessions", "Open sessions of the process (process/sessions)");
    this.processStartTime =
        MultiGauge.builder("passenger.process.start.time")
            .description(
                "When the process finished spawning, since the epoch (process/spawn_end_time)")
            .baseUnit(SECONDS)
            .register(registry);
  }

  private MultiGauge gauge(String name, String description) {
    return MultiGauge.builder(name).description(description).register(this.registry);
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
    this.info.register(List.of(Row.of(Tags.of("version", status.passengerVersion()), 1)), true);
    // An instance serving no application answers without a pool max; 0 would read as "no room".
    this.poolMax.register(
        status.poolMax().isPresent() ? count(Tags.empty(), status.poolMax().getAsInt()) : List.of(),
        true);
    this.processes.register(count(Tags.empty(), status.processCount()), true);
    this.capacityUsed.register(count(Tags.empty(), status.capacityUsed()), true);
    this.waitListSize.register(count(Tags.empty(), status.waitListSize()), true);
    List<Row<?>> supergroupCapacity = new ArrayList<>();
    List<Row<?>> supergroupQueue = new ArrayList<>();
    ProcessRows rows = new ProcessRows();
    for (SupergroupStatus supergroup : status.supergroups()) {
      Tags tags = Tags.of(SUPERGROUP, supergroup.name());
      supergroupCapacity.addAll(count(tags, supergroup.capacityUsed()));
      supergroupQueue.addAll(count(tags, supergroup.waitListSize()));
      if (this.perProcess) {
        for (ProcessStatus process : supergroup.processes()) {
          rows.add(supergroup.name(), process);
        }
      }
    }
    this.supergroupCapacityUsed.register(supergroupCapacity, true);
    this.supergroupWaitListSize.register(supergroupQueue, true);
    this.processCpu.register(rows.cpu, true);
    this.processMemory.register(rows.memory, true);
    this.processSessions.register(rows.sessions, true);
    this.processStartTime.register(rows.startTime, true);
    applyProcessed(rows.processed);
  }

  /** Removes every series of this status from the registry. */
  void removeAll() {
    for (MultiGauge gauge :
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
            this.processStartTime)) {
      gauge.register(List.of(), true);
    }
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

  private static List<Row<?>> count(Tags tags, long value) {
    return (value >= 0) ? List.of(Row.of(tags, value)) : List.of();
  }

  private static double epochSeconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }

  private record Processed(AtomicLong value, FunctionCounter counter) {}

  /** The per-process rows of one status. */
  private static final class ProcessRows {

    final List<Row<?>> cpu = new ArrayList<>();

    final List<Row<?>> memory = new ArrayList<>();

    final List<Row<?>> sessions = new ArrayList<>();

    final List<Row<?>> startTime = new ArrayList<>();

    final Map<Tags, Long> processed = new HashMap<>();

    void add(String supergroup, ProcessStatus process) {
      Tags tags = Tags.of(SUPERGROUP, supergroup, PID, Long.toString(process.pid()));
      process.cpuPercent().ifPresent(cpu -> this.cpu.addAll(number(tags, cpu)));
      process.realMemoryBytes().ifPresent(bytes -> this.memory.addAll(count(tags, bytes)));
      this.sessions.addAll(count(tags, process.sessions()));
      process
          .spawnEndTime()
          .ifPresent(time -> this.startTime.add(Row.of(tags, epochSeconds(time))));
      if (process.processed() >= 0) {
        this.processed.put(tags, process.processed());
      }
    }

    private static List<Row<?>> number(Tags tags, double value) {
      return (value >= 0) ? List.of(Row.of(tags, value)) : List.of();
    }
  }
}
