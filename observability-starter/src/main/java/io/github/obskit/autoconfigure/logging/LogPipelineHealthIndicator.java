package io.github.obskit.autoconfigure.logging;

import io.github.obskit.logging.BatchingConsoleAppender;
import java.util.List;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN while a {@link BatchingConsoleAppender} is stalled (nobody reads stdout), so that, as a
 * member of the readiness group, it moves traffic to instances whose logs are not being lost.
 */
public class LogPipelineHealthIndicator extends AbstractHealthIndicator {

  /** Creates the indicator. */
  public LogPipelineHealthIndicator() {
    super("Log pipeline health check failed");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    List<String> stalled = LogPipeline.stalledAppenders();
    (stalled.isEmpty() ? builder.up() : builder.down().withDetail("stalledAppenders", stalled))
        .withDetail("droppedEvents", BatchingConsoleAppender.getDroppedEvents());
  }
}
