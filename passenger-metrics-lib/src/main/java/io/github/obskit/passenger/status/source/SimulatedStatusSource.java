package io.github.obskit.passenger.status.source;

import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.SupergroupStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
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
  static final int MAX_QUEUE = 100;

  /**
   * Simulating more than an hour of missed steps adds nothing but cost; older steps are skipped.
   */
  private static final long MAX_STEPS_PER_READ = 3600;

  static final long KIB = 1024;

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

  private final Simulation simulation;

  private final List<SimulatedApp> apps;

  private final Object lock = new Object();

  private volatile Scenario scenario;

  // guarded by lock
  private Instant simulatedUntil;

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
    this.simulation = new Simulation(seed);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    // Start in the past and run up to now, so the first read already looks like a running
    // instance (busy sessions, queues, CPU) rather than a freshly initialised one.
    this.simulatedUntil = now.minusSeconds(WARM_UP_STEPS);
    this.apps =
        List.of(
            new SimulatedApp(
                this.simulation,
                "/var/www/shop",
                "ruby",
                "production",
                3,
                5,
                6,
                40,
                15,
                280_000,
                5000,
                60),
            new SimulatedApp(
                this.simulation,
                "/var/www/api",
                "python",
                "production",
                2,
                4,
                4,
                55,
                25,
                150_000,
                0,
                35),
            new SimulatedApp(
                this.simulation,
                "/var/www/backoffice",
                "ruby",
                "production",
                1,
                2,
                2,
                2,
                10,
                210_000,
                1000,
                15));
    for (SimulatedApp app : this.apps) {
      app.start(scenario, this.simulatedUntil);
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
    for (SimulatedApp app : this.apps) {
      app.step(now, current, wave);
    }
    if (current == Scenario.OVERLOADED) {
      this.topLevelWaitList = this.simulation.towards(this.topLevelWaitList, 18, 0.2, 3, MAX_QUEUE);
    } else {
      this.topLevelWaitList = this.simulation.towards(this.topLevelWaitList, 0, 0.5, 0, MAX_QUEUE);
    }
  }

  private PassengerStatus snapshot() {
    List<SupergroupStatus> supergroups = new ArrayList<>();
    int processCount = 0;
    int capacityUsed = 0;
    for (SimulatedApp app : this.apps) {
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
}
