package io.github.obskit.passenger.metrics;

import io.github.obskit.passenger.status.GroupStatus;
import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.ProcessStatus;
import io.github.obskit.passenger.status.SupergroupStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Hand-made statuses for binder tests. */
final class Statuses {

  static final String SHOP = "/var/www/shop (production)";

  private Statuses() {}

  static PassengerStatus status(SupergroupStatus... supergroups) {
    int processes = Arrays.stream(supergroups).mapToInt(s -> s.processes().size()).sum();
    return new PassengerStatus(
        "6.1.2",
        supergroups.length,
        processes,
        OptionalInt.of(8),
        processes,
        2,
        List.of(supergroups));
  }

  static SupergroupStatus app(String name, int waitList, ProcessStatus... processes) {
    GroupStatus group =
        new GroupStatus(
            name,
            "/var/www/x",
            "ruby",
            "production",
            processes.length,
            waitList,
            0,
            processes.length,
            "ALIVE",
            List.of(processes));
    return new SupergroupStatus(name, "READY", processes.length, List.of(group));
  }

  static ProcessStatus process(long pid, long processed) {
    return new ProcessStatus(
        pid,
        1,
        1,
        Integer.MAX_VALUE,
        processed,
        Optional.of(Instant.ofEpochSecond(1_773_712_371, 195_739_000)),
        Optional.of(Instant.ofEpochSecond(1_773_712_398, 264_747_000)),
        Optional.of(Instant.ofEpochSecond(1_773_719_688)),
        "ALIVE",
        "ENABLED",
        OptionalDouble.of(12),
        OptionalLong.of(484_884L * 1024),
        OptionalLong.of(509_528L * 1024),
        OptionalLong.of(0));
  }

  static ProcessStatus processWithoutMetrics(long pid) {
    return new ProcessStatus(
        pid,
        0,
        1,
        0,
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "ALIVE",
        "ENABLED",
        OptionalDouble.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty());
  }
}
