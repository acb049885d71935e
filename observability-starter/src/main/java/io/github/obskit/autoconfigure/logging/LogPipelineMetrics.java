package io.github.obskit.autoconfigure.logging;

import io.github.obskit.logging.BatchingConsoleAppender;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Counts the log events that {@link BatchingConsoleAppender}s dropped. */
public class LogPipelineMetrics implements MeterBinder {

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder(
            "log.dropped.events",
            BatchingConsoleAppender.class,
            (appender) -> BatchingConsoleAppender.getDroppedEvents())
        .description(
            "Log events dropped because stdout was not read within the appender's maxBlockTime,"
                + " or were still queued when logging stopped")
        .baseUnit("events")
        .register(registry);
  }
}
