package io.github.obskit.logging;

import ch.qos.logback.core.util.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Looks at a {@link BatchWriter} a few times per {@code stallTimeout} and says on stderr when it
 * stalls (with why) and when it writes again, even when no logging thread and no health check
 * looks. At most one stall is reported per minute, so a pipeline that stalls and recovers over and
 * over cannot flood stderr.
 */
final class StallWatchdog implements Runnable {

  private static final long MIN_REPORT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final BatchWriter writer;

  private final String appenderName;

  private final long periodNanos;

  private final Thread thread;

  private volatile boolean stopped;

  private boolean stalled;

  private boolean stallReported;

  private long stallStartedNanos;

  private boolean everReported;

  private long lastReportNanos;

  StallWatchdog(BatchWriter writer, String appenderName, long stallTimeoutNanos) {
    this.writer = writer;
    this.appenderName = appenderName;
    this.periodNanos =
        Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, stallTimeoutNanos / 4));
    this.thread = new Thread(this, "obskit-log-watchdog-" + appenderName);
    this.thread.setDaemon(true);
  }

  void start() {
    this.thread.start();
  }

  void stop() {
    this.stopped = true;
    LockSupport.unpark(this.thread);
  }

  @Override
  public void run() {
    while (!this.stopped) {
      LockSupport.parkNanos(this, this.periodNanos);
      if (!this.stopped) {
        check(this.writer.stallReason(), System.nanoTime());
      }
    }
  }

  private void check(String reason, long now) {
    if (reason != null && !this.stalled) {
      this.stalled = true;
      this.stallStartedNanos = now;
      this.stallReported =
          !this.everReported || now - this.lastReportNanos >= MIN_REPORT_INTERVAL_NANOS;
      if (this.stallReported) {
        this.everReported = true;
        this.lastReportNanos = now;
        StderrReport.print(
            "obskit: the appender named ["
                + this.appenderName
                + "] is stalled, its logPipeline health is DOWN: "
                + reason);
      }
    } else if (reason == null && this.stalled) {
      this.stalled = false;
      if (this.stallReported) {
        StderrReport.print(
            "obskit: the appender named ["
                + this.appenderName
                + "] writes again, after a stall of "
                + Duration.buildByMilliseconds(
                    TimeUnit.NANOSECONDS.toMillis(now - this.stallStartedNanos)));
      }
    }
  }
}
