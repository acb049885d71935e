package io.github.obskit.autoconfigure.logging;

import io.github.obskit.logging.BatchingConsoleAppender;
import io.github.obskit.logging.DropReason;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN while a {@link BatchingConsoleAppender} makes no progress (events wait and no write to
 * stdout has completed for its {@code stallTimeout}), so that, as a member of the readiness group,
 * it moves traffic to instances whose logs are not being lost. A busy machine, a slow reader or
 * dropped events alone do not make it DOWN: only a writer that writes nothing. The details name
 * each stalled appender with why, and count the lost events by reason.
 */
public class LogPipelineHealthIndicator extends AbstractHealthIndicator {

  /** Creates the indicator. */
  public LogPipelineHealthIndicator() {
    super("Log pipeline health check failed");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Map<String, String> stalled = LogPipeline.stalledAppenders();
    (stalled.isEmpty() ? builder.up() : builder.down().withDetail("stalledAppenders", stalled))
        .withDetail("droppedEvents", droppedEvents())
        .withDetail("truncatedEvents", BatchingConsoleAppender.getTruncatedEvents());
  }

  private static Map<String, Long> droppedEvents() {
    Map<String, Long> dropped = new LinkedHashMap<>();
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason.tagValue(), reason.count());
    }
    return dropped;
  }
}
