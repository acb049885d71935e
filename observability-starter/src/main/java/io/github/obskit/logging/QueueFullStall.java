package io.github.obskit.logging;

import ch.qos.logback.core.util.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The state a logging thread starts when it gave up waiting for room: until the writer completes a
 * write again, events that find the queue full are dropped at once, without waiting. Reported on
 * stderr when it starts and when it ends.
 */
final class QueueFullStall {

  private final String appenderName;

  private final Duration maxBlockTime;

  private final AtomicBoolean on = new AtomicBoolean();

  private final LongAdder dropped = new LongAdder();

  QueueFullStall(String appenderName, Duration maxBlockTime) {
    this.appenderName = appenderName;
    this.maxBlockTime = maxBlockTime;
  }

  boolean isOn() {
    return this.on.get();
  }

  void dropped(int events) {
    this.dropped.add(events);
  }

  void start() {
    if (this.on.compareAndSet(false, true)) {
      StderrReport.print(
          "obskit: stdout has not been read for "
              + this.maxBlockTime
              + "; dropping log events of the appender named ["
              + this.appenderName
              + "] until it is (counted in log_dropped_events_total{reason=\"queue_full\"})");
    }
  }

  /** Ends the stall, if on: the writer has completed a write. */
  void end() {
    if (this.on.compareAndSet(true, false)) {
      StderrReport.print(
          "obskit: stdout is read again; the appender named ["
              + this.appenderName
              + "] dropped "
              + this.dropped.sumThenReset()
              + " log events meanwhile");
    } else {
      this.dropped.reset();
    }
  }
}
