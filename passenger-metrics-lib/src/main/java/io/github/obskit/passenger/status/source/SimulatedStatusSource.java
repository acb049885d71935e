package io.github.obskit.passenger.status.source;

import io.github.obskit.passenger.status.GroupStatus;
import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.ProcessStatus;
import io.github.obskit.passenger.status.SupergroupStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;

/**
 * A simulated Passenger instance with three applications whose status changes with time: processes
 * spawn, are recycled after a number of requests or crash (a new pid whose {@code processed}
 * counter starts again), counters grow, memory and CPU wander, and under {@link
 * Scenario#OVERLOADED} the pool fills up, every session is busy and requests queue.
 *
 * <p>The simulation advances in steps of one second of the given clock, so the status at a given
 * instant depends only on the seed, the scenario history and that instant, not on how often it is
 * read, as long as no two reads are more than an hour of the clock apart: after a longer gap only
 * the last hour is simulated, so the status then also depends on when the reads happened.
 * Thread-safe.
 */
public final class SimulatedStatusSource implements PassengerStatusSource {

  /** The Passenger version the simulator reports. */
  public static final String PASSENGER_VERSION = "6.1.2";

  /** Pool max size of the simulated instance; the overloaded scenario uses all of it. */
  public static final int POOL_MAX = 12;

  /** Passenger's default {@code max_request_queue_size}: requests beyond it are rejected. */
  private static final int MAX_QUEUE = 100;

  /**
   * Simulating more than an hour of missed steps adds nothing but cost; older steps are skipped.
   */
  private static final long MAX_STEPS_PER_READ = 3600;

  private static final long KIB = 1024;

  private static final long WARM_UP_STEPS = 120;

  /** How much load the simulated instance gets. */
  public enum Scenario {
    /** Traffic follows a slow wave; queues stay near zero and the pool has room. */
    NORMAL,
    /**
     * More traffic than the pool can serve: every process busy, capacity used equals the pool max,
     * application and top-level queues well above 5, the shop's memory above 2 GiB.
     */
    OVERLOADED;

    /**
     * Parses a scenario name, ignoring case.
     *
     * @param name {@code normal} or {@code overloaded}
     * @return the scenario
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Scenario of(String name) {
      for (Scenario scenario : values()) {
        if (scenario.name().equalsIgnoreCase(name.trim())) {
          return scenario;
        }
      }
      throw new IllegalArgumentException(
          "unknown simulator scenario '" + name + "', expected normal or overloaded");
    }

    /** The lower-case name, as accepted by {@link #of(String)}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Clock clock;

  private final Random random;

  private final List<App> apps;

  private final Object lock = new Object();

  private volatile Scenario scenario;

  // guarded by lock
  private Instant simulatedUntil;

  // guarded by lock
  private long nextPid;

  // guarded by lock
  private double topLevelWaitList;

  /**
   * Creates a simulator on the system clock with a random seed.
   *
   * @param scenario the initial scenario
   */
  public SimulatedStatusSource(Scenario scenario) {
    this(scenario, new Random().nextLong(), Clock.systemUTC());
  }

  /**
   * Creates a deterministic simulator.
   *
   * @param scenario the initial scenario
   * @param seed the seed of all random choices
   * @param clock the clock the simulation follows, in steps of one second
   */
  public SimulatedStatusSource(Scenario scenario, long seed, Clock clock) {
    this.scenario = Objects.requireNonNull(scenario, "scenario");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = new Random(seed);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    // Start in the past and run up to now, so the first read already looks like a running
    // instance (busy sessions, queues, CPU) rather than a freshly initialised one.
    this.simulatedUntil = now.minusSeconds(WARM_UP_STEPS);
    this.nextPid = 2000 + this.random.nextInt(20000);
    this.apps =
        List.of(
            new App("/var/www/shop", "ruby", "production", 3, 5, 6, 40, 15, 280_000, 5000, 60),
            new App("/var/www/api", "python", "production", 2, 4, 4, 55, 25, 150_000, 0, 35),
            new App(
                "/var/www/backoffice", "ruby", "production", 1, 2, 2, 2, 10, 210_000, 1000, 15));
    for (App app : this.apps) {
      app.start(scenario);
    }
    synchronized (this.lock) {
      advanceTo(now);
    }
  }

  /** The current scenario. */
  public Scenario scenario() {
    return this.scenario;
  }

  /**
   * Switches the scenario; the simulated instance drifts towards it over the next seconds.
   *
   * @param scenario the new scenario
   */
  public void scenario(Scenario scenario) {
    this.scenario = Objects.requireNonNull(scenario, "scenario");
  }

  @Override
  public PassengerStatus read() {
    synchronized (this.lock) {
      advanceTo(this.clock.instant().truncatedTo(ChronoUnit.SECONDS));
      return snapshot();
    }
  }

  private void advanceTo(Instant now) {
    long steps = Duration.between(this.simulatedUntil, now).toSeconds();
    if (steps > MAX_STEPS_PER_READ) {
      this.simulatedUntil = now.minusSeconds(MAX_STEPS_PER_READ);
      steps = MAX_STEPS_PER_READ;
    }
    for (long i = 0; i < steps; i++) {
      this.simulatedUntil = this.simulatedUntil.plusSeconds(1);
      step(this.simulatedUntil);
    }
  }

  private void step(Instant now) {
    Scenario current = this.scenario;
    double wave = 1 + 0.35 * StrictMath.sin(2 * Math.PI * now.getEpochSecond() / 600.0);
    for (App app : this.apps) {
      app.step(now, current, wave);
    }
    if (current == Scenario.OVERLOADED) {
      this.topLevelWaitList = towards(this.topLevelWaitList, 18, 0.2, 3, MAX_QUEUE);
    } else {
      this.topLevelWaitList = towards(this.topLevelWaitList, 0, 0.5, 0, MAX_QUEUE);
    }
  }

  private PassengerStatus snapshot() {
    List<SupergroupStatus> supergroups = new ArrayList<>();
    int processCount = 0;
    int capacityUsed = 0;
    for (App app : this.apps) {
      SupergroupStatus supergroup = app.toStatus();
      supergroups.add(supergroup);
      processCount += supergroup.processes().size();
      capacityUsed += supergroup.capacityUsed();
    }
    return new PassengerStatus(
        PASSENGER_VERSION,
        this.apps.size(),
        processCount,
        OptionalInt.of(POOL_MAX),
        capacityUsed,
        (int) Math.round(this.topLevelWaitList),
        supergroups);
  }

  private double towards(double value, double target, double pull, double noise, double max) {
    double next = value + (target - value) * pull + (this.random.nextDouble() * 2 - 1) * noise;
    return Math.max(0, Math.min(max, next));
  }

  private long newPid() {
    this.nextPid += 1 + this.random.nextInt(40);
    return this.nextPid;
  }

  /** One simulated application: its parameters and its live processes. */
  private final class App {

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

    App(
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

    void start(Scenario scenario) {
      Instant now = SimulatedStatusSource.this.simulatedUntil;
      int count = (scenario == Scenario.OVERLOADED) ? this.overloadedProcesses : this.minProcesses;
      for (int i = 0; i < count; i++) {
        Instant spawned = now.minusSeconds(60 + random.nextInt(4 * 3600));
        Proc proc = new Proc(newPid(), spawned, memoryTarget(scenario));
        long limit = (this.maxRequests > 0) ? this.maxRequests / 2 : 20_000;
        proc.processed = random.nextInt((int) limit);
        this.processes.add(proc);
      }
      if (scenario == Scenario.OVERLOADED) {
        this.waitList = this.overloadedQueue / 2;
      }
    }

    void step(Instant now, Scenario scenario, double wave) {
      boolean overloaded = scenario == Scenario.OVERLOADED;
      double arrivals =
          this.requestsPerSecond * (overloaded ? 3 : wave) * (0.9 + 0.2 * random.nextDouble());
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
        this.waitList = towards(this.waitList, this.overloadedQueue, 0.15, 4, MAX_QUEUE);
      } else if (random.nextDouble() < 0.02) {
        this.waitList = 1 + random.nextInt(3);
      } else {
        this.waitList = towards(this.waitList, 0, 0.5, 0, MAX_QUEUE);
      }
    }

    private void recycle(Instant now, Scenario scenario) {
      for (int i = 0; i < this.processes.size(); i++) {
        Proc proc = this.processes.get(i);
        boolean exhausted = this.maxRequests > 0 && proc.processed >= this.maxRequests;
        boolean crashed = random.nextDouble() < 1.0 / 3000;
        if (exhausted || crashed) {
          this.processes.set(i, new Proc(newPid(), now, memoryTarget(scenario)));
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
        this.processes.add(new Proc(newPid(), now, memoryTarget(scenario)));
      } else if (this.processes.size() > wanted && random.nextDouble() < 0.05) {
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
        this.spawnStart = spawnEnd.minusMillis(1500 + random.nextInt(4000));
        this.lastUsed = spawnEnd;
        this.memoryKb = memoryTargetKb * (0.85 + 0.15 * random.nextDouble());
        this.cpu = 0;
      }

      void step(Instant now, double requests, double utilisation, Scenario scenario) {
        // Passenger routes to the least busy process, which is never a perfectly even split.
        double total = requests * (0.7 + 0.6 * random.nextDouble()) + this.unprocessedFraction;
        long whole = (long) total;
        this.unprocessedFraction = total - whole;
        this.processed += whole;
        if (whole > 0) {
          this.lastUsed = now;
        }
        this.sessions = (random.nextDouble() < utilisation) ? 1 : 0;
        double cpuTarget = (scenario == Scenario.OVERLOADED) ? 95 : 70 * utilisation;
        this.cpu = towards(this.cpu, cpuTarget, 0.3, 6, 100);
        // Ruby and Python workers grow slowly and never give memory back; noise keeps it alive.
        double memoryTarget = memoryTarget(scenario) * 1.1;
        this.memoryKb += (memoryTarget - this.memoryKb) * 0.002 + random.nextGaussian() * 300;
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
            OptionalLong.of(realMemoryKb * KIB),
            OptionalLong.of(rssKb * KIB),
            OptionalLong.of(0));
      }
    }
  }
}
