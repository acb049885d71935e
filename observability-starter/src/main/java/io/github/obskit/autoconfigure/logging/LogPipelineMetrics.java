package io.github.obskit.autoconfigure.logging;

import io.github.obskit.logging.BatchingConsoleAppender;
import io.github.obskit.logging.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Counts the log events that {@link BatchingConsoleAppender}s lost, by {@link DropReason}, and
 * those they cut to fit a line.
 */
public class LogPipelineMetrics implements MeterBinder {

  @Override
  public void bindTo(MeterRegistry registry) {
    // Every reason from the start, at 0: a rate over a series that appears with its first drop
    // misses that drop.
    for (DropReason reason : DropReason.values()) {
      FunctionCounter.builder("log.dropped.events", reason, DropReason::count)
          .description(
              "Log events not written to stdout, by reason: queue_full (the queue stayed full,"
                  + " by count or bytes, for maxBlockTime), encoding_failed, too_large (over"
                  + " maxLineSize with every text field cut), write_failed (System.out reported an"
                  + " error), shutdown (not written when logging stopped)")
          .baseUnit("events")
          .tag("reason", reason.tagValue())
          .register(registry);
    }
    FunctionCounter.builder(
            "log.truncated.events",
            BatchingConsoleAppender.class,
            (appender) -> BatchingConsoleAppender.getTruncatedEvents())
        .description(
            "Log events written with their longest text fields cut to fit maxLineSize (marked"
                + " \"truncated\":true)")
        .baseUnit("events")
        .register(registry);
  }
}
