package io.github.obskit.passenger.status.source;

import java.util.Random;

/** The random choices of one simulated instance, shared by its applications. */
final class Simulation {

  final Random random;

  private long nextPid;

  Simulation(long seed) {
    this.random = new Random(seed);
    this.nextPid = 2000 + this.random.nextInt(20000);
  }

  /** Moves {@code value} towards {@code target} by {@code pull}, with noise, within 0..max. */
  double towards(double value, double target, double pull, double noise, double max) {
    double next = value + (target - value) * pull + (this.random.nextDouble() * 2 - 1) * noise;
    return Math.max(0, Math.min(max, next));
  }

  /** A pid above the last one, as the kernel hands them out. */
  long newPid() {
    this.nextPid += 1 + this.random.nextInt(40);
    return this.nextPid;
  }
}
