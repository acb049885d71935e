package io.github.obskit.passenger.status.source;

import io.github.obskit.passenger.status.GroupStatus;
import io.github.obskit.passenger.status.ProcessStatus;
import io.github.obskit.passenger.status.SupergroupStatus;
import io.github.obskit.passenger.status.source.SimulatedStatusSource.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** One simulated application: its parameters and its live processes. */
final class SimulatedApp {

  private final Simulation simulation;

  private final String name;

  private final String appRoot;

  private final String appType;

  private final String environment;

  private final int minProcesses;

  private final int maxNormalProcesses;

  private final int overloadedProcesses;

  private final double requestsPerSecond;

  private final double capacityPerProcess;

  private final long baseMemoryKb;

  private final long maxRequests;

  private final double overloadedQueue;

  private final List<Proc> processes = new ArrayList<>();

  private double waitList;

  SimulatedApp(
      Simulation simulation,
      String appRoot,
      String appType,
      String environment,
      int minProcesses,
      int maxNormalProcesses,
      int overloadedProcesses,
      double requestsPerSecond,
      double capacityPerProcess,
      long baseMemoryKb,
      long maxRequests,
      double overloadedQueue) {
    this.simulation = simulation;
    this.name = appRoot + " (" + environment + ")";
    this.appRoot = appRoot;
    this.appType = appType;
    this.environment = environment;
    this.minProcesses = minProcesses;
    this.maxNormalProcesses = maxNormalProcesses;
    this.overloadedProcesses = overloadedProcesses;
    this.requestsPerSecond = requestsPerSecond;
    this.capacityPerProcess = capacityPerProcess;
    this.baseMemoryKb = baseMemoryKb;
    this.maxRequests = maxRequests;
    this.overloadedQueue = overloadedQueue;
  }

  void start(Scenario scenario, Instant now) {
    int count = (scenario == Scenario.OVERLOADED) ? this.overloadedProcesses : this.minProcesses;
    for (int i = 0; i < count; i++) {
      Instant spawned = now.minusSeconds(60 + simulation.random.nextInt(4 * 3600));
      Proc proc = new Proc(simulation.newPid(), spawned, memoryTarget(scenario));
      long limit = (this.maxRequests > 0) ? this.maxRequests / 2 : 20_000;
      proc.processed = simulation.random.nextInt((int) limit);
      this.processes.add(proc);
    }
    if (scenario == Scenario.OVERLOADED) {
      this.waitList = this.overloadedQueue / 2;
    }
  }

  void step(Instant now, Scenario scenario, double wave) {
    boolean overloaded = scenario == Scenario.OVERLOADED;
    double arrivals =
        this.requestsPerSecond
            * (overloaded ? 3 : wave)
            * (0.9 + 0.2 * simulation.random.nextDouble());
    recycle(now, scenario);
    scale(now, scenario, arrivals);
    int count = this.processes.size();
    double capacity = count * this.capacityPerProcess;
    double served = Math.min(arrivals, capacity);
    double utilisation = (capacity > 0) ? served / capacity : 0;
    for (Proc proc : this.processes) {
      proc.step(now, served / Math.max(1, count), overloaded ? 1.0 : utilisation, scenario);
    }
    if (overloaded) {
      this.waitList =
          simulation.towards(
              this.waitList, this.overloadedQueue, 0.15, 4, SimulatedStatusSource.MAX_QUEUE);
    } else if (simulation.random.nextDouble() < 0.02) {
      this.waitList = 1 + simulation.random.nextInt(3);
    } else {
      this.waitList = simulation.towards(this.waitList, 0, 0.5, 0, SimulatedStatusSource.MAX_QUEUE);
    }
  }

  private void recycle(Instant now, Scenario scenario) {
    for (int i = 0; i < this.processes.size(); i++) {
      Proc proc = this.processes.get(i);
      boolean exhausted = this.maxRequests > 0 && proc.processed >= this.maxRequests;
      boolean crashed = simulation.random.nextDouble() < 1.0 / 3000;
      if (exhausted || crashed) {
        this.processes.set(i, new Proc(simulation.newPid(), now, memoryTarget(scenario)));
      }
    }
  }

  private void scale(Instant now, Scenario scenario, double arrivals) {
    int wanted;
    if (scenario == Scenario.OVERLOADED) {
      wanted = this.overloadedProcesses;
    } else {
      int needed = (int) Math.ceil(arrivals / (this.capacityPerProcess * 0.7));
      wanted = Math.max(this.minProcesses, Math.min(this.maxNormalProcesses, needed));
    }
    if (this.processes.size() < wanted) {
      this.processes.add(new Proc(simulation.newPid(), now, memoryTarget(scenario)));
    } else if (this.processes.size() > wanted && simulation.random.nextDouble() < 0.05) {
      // Passenger shuts idle processes down after pool_idle_time; the longest idle goes first.
      Proc idlest = this.processes.get(0);
      for (Proc proc : this.processes) {
        if (proc.lastUsed.isBefore(idlest.lastUsed)) {
          idlest = proc;
        }
      }
      this.processes.remove(idlest);
    }
  }

  private long memoryTarget(Scenario scenario) {
    return (scenario == Scenario.OVERLOADED) ? this.baseMemoryKb * 3 / 2 : this.baseMemoryKb;
  }

  SupergroupStatus toStatus() {
    List<ProcessStatus> statuses = this.processes.stream().map(Proc::toStatus).toList();
    int capacityUsed = statuses.size();
    GroupStatus group =
        new GroupStatus(
            this.name,
            this.appRoot,
            this.appType,
            this.environment,
            capacityUsed,
            (int) Math.round(this.waitList),
            0,
            statuses.size(),
            "ALIVE",
            statuses);
    return new SupergroupStatus(this.name, "READY", capacityUsed, List.of(group));
  }

  /** One simulated process. */
  private final class Proc {

    private final long pid;

    private final Instant spawnStart;

    private final Instant spawnEnd;

    private Instant lastUsed;

    private long processed;

    private double unprocessedFraction;

    private int sessions;

    private double cpu;

    private double memoryKb;

    Proc(long pid, Instant spawnEnd, long memoryTargetKb) {
      this.pid = pid;
      this.spawnEnd = spawnEnd;
      this.spawnStart = spawnEnd.minusMillis(1500 + simulation.random.nextInt(4000));
      this.lastUsed = spawnEnd;
      this.memoryKb = memoryTargetKb * (0.85 + 0.15 * simulation.random.nextDouble());
      this.cpu = 0;
    }

    void step(Instant now, double requests, double utilisation, Scenario scenario) {
      // Passenger routes to the least busy process, which is never a perfectly even split.
      double total =
          requests * (0.7 + 0.6 * simulation.random.nextDouble()) + this.unprocessedFraction;
      long whole = (long) total;
      this.unprocessedFraction = total - whole;
      this.processed += whole;
      if (whole > 0) {
        this.lastUsed = now;
      }
      this.sessions = (simulation.random.nextDouble() < utilisation) ? 1 : 0;
      double cpuTarget = (scenario == Scenario.OVERLOADED) ? 95 : 70 * utilisation;
      this.cpu = simulation.towards(this.cpu, cpuTarget, 0.3, 6, 100);
      // Ruby and Python workers grow slowly and never give memory back; noise keeps it alive.
      double memoryTarget = memoryTarget(scenario) * 1.1;
      this.memoryKb +=
          (memoryTarget - this.memoryKb) * 0.002 + simulation.random.nextGaussian() * 300;
      this.memoryKb = Math.max(baseMemoryKb / 2.0, this.memoryKb);
    }

    ProcessStatus toStatus() {
      long realMemoryKb = Math.round(this.memoryKb);
      long rssKb = realMemoryKb + 24_000;
      int busyness = (this.sessions > 0) ? Integer.MAX_VALUE : 0;
      return new ProcessStatus(
          this.pid,
          this.sessions,
          1,
          busyness,
          this.processed,
          Optional.of(this.spawnStart),
          Optional.of(this.spawnEnd),
          Optional.of(this.lastUsed),
          "ALIVE",
          "ENABLED",
          OptionalDouble.of(Math.round(this.cpu)),
          OptionalLong.of(realMemoryKb * SimulatedStatusSource.KIB),
          OptionalLong.of(rssKb * SimulatedStatusSource.KIB),
          OptionalLong.of(0));
    }
  }
}
