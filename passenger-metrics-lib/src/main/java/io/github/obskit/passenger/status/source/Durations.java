package io.github.obskit.passenger.status.source;

import java.time.Duration;

/** Formats timeouts for error messages that operators read. */
final class Durations {

  private Durations() {}

  /** {@code 10 s} or {@code 500 ms} rather than {@code PT10S}. */
  static String describe(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
