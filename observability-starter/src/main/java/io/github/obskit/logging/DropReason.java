package io.github.obskit.logging;

import java.util.concurrent.atomic.LongAdder;

/**
 * Why a {@link BatchingConsoleAppender} lost a log event: the {@code reason} tag of {@code
 * log.dropped.events}.
 */
public enum DropReason {

  /**
   * The queue was full, by count ({@code queueSize}) or by bytes ({@code maxQueuedSize}), for
   * longer than {@code maxBlockTime}, or during a stall that such a wait started.
   */
  QUEUE_FULL("queue_full"),

  /** The encoder threw (an {@code Error} such as {@code OutOfMemoryError} included). */
  ENCODING_FAILED("encoding_failed"),

  /** Even with every top-level text field cut, the line stayed longer than {@code maxLineSize}. */
  TOO_LARGE("too_large"),

  /** {@code System.out} reported an error for the write that carried the event. */
  WRITE_FAILED("write_failed"),

  /** Still queued, or in the writer's hands, when logging stopped after {@code maxFlushTime}. */
  SHUTDOWN("shutdown");

  // Across appenders and reconfigurations: the meter reads one count for the whole process.
  private final LongAdder count = new LongAdder();

  private final String tagValue;

  DropReason(String tagValue) {
    this.tagValue = tagValue;
  }

  /**
   * Returns the value of the {@code reason} tag.
   *
   * @return the tag value, such as {@code queue_full}
   */
  public String tagValue() {
    return this.tagValue;
  }

  /**
   * Returns how many events every appender of this type in the process lost for this reason.
   *
   * @return the count since the class was loaded
   */
  public long count() {
    return this.count.sum();
  }

  void add(long events) {
    this.count.add(events);
  }
}
