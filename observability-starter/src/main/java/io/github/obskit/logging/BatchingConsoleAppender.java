package io.github.obskit.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes encoded events to {@code System.out} from one background thread, in batches: the first
 * event after a quiet spell is written at most {@link #setFlushInterval flushInterval} later,
 * together with every event logged meanwhile.
 *
 * <p>Logback's {@code AsyncAppender} wakes its writer thread for nearly every event on a busy
 * server and its console target writes each line on its own; at one access-log line per request
 * that hand-off costs more than encoding the line. Here logging threads only queue the event: the
 * writer sleeps out the interval instead of waiting to be signalled, so no logging thread wakes it
 * while it is busy, and a batch costs one wake-up and a few large writes, as nginx's {@code
 * access_log ... buffer= flush=} does.
 *
 * <p>Memory is bounded in bytes: the queue holds at most {@link #setQueueSize queueSize} events and
 * at most {@link #setMaxQueuedSize maxQueuedSize} bytes of them (estimated from the lengths of
 * their texts), a batch is written out every 512 KiB, and each line is cut to {@link
 * #setMaxLineSize maxLineSize} (16 KiB, where Docker's json-file driver and CRI runtimes split
 * lines): the longest text fields of a JSON line are cut, each ending in {@value
 * HeaderText#CUT_MARK}, and the line gets {@code "truncated":true}. Lines go out in writes of whole
 * lines of at most 4 KiB ({@code PIPE_BUF}), which a pipe takes in whole or not at all.
 *
 * <p>No request hangs on logging when nobody reads stdout: when the queue is full, a logging thread
 * wakes the writer and waits for room at most {@link #setMaxBlockTime maxBlockTime}, then drops the
 * event. Until the writer completes a write again, events that find the queue full are dropped at
 * once, without waiting. Every event lost for any reason is counted, by {@link DropReason} ({@link
 * #getDroppedEvents()}, the meter {@code log.dropped.events}). {@link #isStalled()} is {@code true}
 * while the writer makes no progress: events wait and no write has completed for {@link
 * #setStallTimeout stallTimeout}; the starter's health indicator turns that into readiness DOWN,
 * and the stall is reported on stderr with its cause. On {@link #stop()} (Boot's logging shutdown
 * hook) the queue is written out, waiting at most {@link #setMaxFlushTime maxFlushTime}; what is
 * left, the events in the writer's hands included, is counted and reported on stderr. {@code
 * System.out} is looked up for each batch, so output capture with {@code System.setOut} keeps
 * working.
 */
public class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private static final int DEFAULT_QUEUE_SIZE = 8192;

  private static final long MIN_LINE_SIZE = 256;

  private static final long REPORT_WAIT_MILLIS = 200;

  // Across appenders and reconfigurations: the meter reads one count for the whole process.
  static final LongAdder truncatedEvents = new LongAdder();

  private Encoder<ILoggingEvent> encoder;

  private int queueSize = DEFAULT_QUEUE_SIZE;

  private Duration flushInterval = Duration.buildByMilliseconds(20);

  private Duration maxFlushTime = Duration.buildBySeconds(1);

  private Duration maxBlockTime = Duration.buildByMilliseconds(100);

  private FileSize maxQueuedSize = new FileSize(16 * FileSize.MB_COEFFICIENT);

  private FileSize maxLineSize = new FileSize(16 * FileSize.KB_COEFFICIENT);

  private Duration stallTimeout = Duration.buildBySeconds(10);

  private boolean includeCallerData;

  private BatchWriter writer;

  /**
   * Sets the encoder that turns each event into bytes.
   *
   * @param encoder the encoder
   */
  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  /**
   * Sets how many events may wait to be written before logging threads wait for room.
   *
   * @param queueSize the capacity of the queue, at least 1
   */
  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  /**
   * Returns how many events may wait to be written before logging threads wait for room.
   *
   * @return the capacity of the queue
   */
  public int getQueueSize() {
    return this.queueSize;
  }

  /**
   * Sets the longest an event waits for the rest of its batch before it is written.
   *
   * @param flushInterval the interval, 20 milliseconds unless set
   */
  public void setFlushInterval(Duration flushInterval) {
    this.flushInterval = flushInterval;
  }

  /**
   * Returns the longest an event waits for the rest of its batch before it is written.
   *
   * @return the interval
   */
  public Duration getFlushInterval() {
    return this.flushInterval;
  }

  /**
   * Sets the longest {@link #stop()} waits for the queued events to be written; 0 waits until they
   * are.
   *
   * @param maxFlushTime the time, 1 second unless set
   */
  public void setMaxFlushTime(Duration maxFlushTime) {
    this.maxFlushTime = maxFlushTime;
  }

  /**
   * Returns the longest {@link #stop()} waits for the queued events to be written.
   *
   * @return the time
   */
  public Duration getMaxFlushTime() {
    return this.maxFlushTime;
  }

  /**
   * Sets the longest a logging thread waits for room in a full queue before the event is dropped;
   * while the writer stays blocked, later events that find the queue full are dropped at once.
   *
   * @param maxBlockTime the time, 100 milliseconds unless set
   */
  public void setMaxBlockTime(Duration maxBlockTime) {
    this.maxBlockTime = maxBlockTime;
  }

  /**
   * Returns the longest a logging thread waits for room in a full queue before the event is
   * dropped.
   *
   * @return the time
   */
  public Duration getMaxBlockTime() {
    return this.maxBlockTime;
  }

  /**
   * Sets the most bytes the queued events may hold, estimated from the lengths of their texts;
   * beyond it the queue counts as full. An event larger than this still passes an empty queue.
   *
   * @param maxQueuedSize the bound, 16 MB unless set
   */
  public void setMaxQueuedSize(FileSize maxQueuedSize) {
    this.maxQueuedSize = maxQueuedSize;
  }

  /**
   * Returns the most bytes the queued events may hold.
   *
   * @return the bound
   */
  public FileSize getMaxQueuedSize() {
    return this.maxQueuedSize;
  }

  /**
   * Sets the most bytes of one line, its line end included; a longer one has its longest text
   * fields cut.
   *
   * @param maxLineSize the limit, 16 KB unless set, at least 256 bytes
   */
  public void setMaxLineSize(FileSize maxLineSize) {
    this.maxLineSize = maxLineSize;
  }

  /**
   * Returns the most bytes of one line, its line end included.
   *
   * @return the limit
   */
  public FileSize getMaxLineSize() {
    return this.maxLineSize;
  }

  /**
   * Sets how long events may wait without any write completing before the appender counts as
   * stalled.
   *
   * @param stallTimeout the time, 10 seconds unless set
   */
  public void setStallTimeout(Duration stallTimeout) {
    this.stallTimeout = stallTimeout;
  }

  /**
   * Returns how long events may wait without any write completing before the appender counts as
   * stalled.
   *
   * @return the time
   */
  public Duration getStallTimeout() {
    return this.stallTimeout;
  }

  /**
   * Returns how many events every appender of this type in the process has lost, for any {@link
   * DropReason}.
   *
   * @return the count since the class was loaded
   */
  public static long getDroppedEvents() {
    long dropped = 0;
    for (DropReason reason : DropReason.values()) {
      dropped += reason.count();
    }
    return dropped;
  }

  /**
   * Returns how many events every appender of this type in the process has written with text fields
   * cut to fit {@code maxLineSize}.
   *
   * @return the count since the class was loaded
   */
  public static long getTruncatedEvents() {
    return truncatedEvents.sum();
  }

  /**
   * Whether the appender is stalled: events wait and no write to stdout has completed for {@code
   * stallTimeout}, or its writer thread has ended.
   *
   * @return {@code true} while stalled
   */
  public boolean isStalled() {
    return getStallReason() != null;
  }

  /**
   * Why the appender is stalled, such as {@code "no log line written for 12.5 seconds with 8192
   * events waiting: a write to stdout has been blocked for 12.5 seconds (stdout is not read, or too
   * slowly)"}.
   *
   * @return the reason, or {@code null} while not stalled
   */
  public String getStallReason() {
    BatchWriter current = this.writer;
    return (isStarted() && current != null) ? current.stallReason() : null;
  }

  /**
   * Sets whether the caller's class, method and line are taken on the logging thread, for an
   * encoder that writes them; costly, so off unless set.
   *
   * @param includeCallerData whether to take the caller data
   */
  public void setIncludeCallerData(boolean includeCallerData) {
    this.includeCallerData = includeCallerData;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (this.encoder == null) {
      addError("No encoder set for the appender named [" + this.name + "].");
      return;
    }
    if (this.queueSize < 1) {
      addError(
          "Invalid queue size ["
              + this.queueSize
              + "] for the appender named ["
              + this.name
              + "].");
      return;
    }
    if (this.maxLineSize.getSize() < MIN_LINE_SIZE || this.maxQueuedSize.getSize() < 1) {
      addError(
          "Invalid maxLineSize ["
              + this.maxLineSize
              + "] (at least "
              + MIN_LINE_SIZE
              + " bytes) or maxQueuedSize ["
              + this.maxQueuedSize
              + "] for the appender named ["
              + this.name
              + "].");
      return;
    }
    write(this.encoder.headerBytes());
    this.writer = new BatchWriter(this, this.encoder);
    this.writer.start();
    super.start();
    // A context's reset (its stop at JVM exit too) stops registered components before it clears its
    // properties, and only later the appenders: registered, the queue is written while app and env,
    // which logstash-logback-encoder reads from the context, are still there.
    getContext().register(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    // The writer reads the event later, on its own thread: fix what is taken from this one now.
    event.prepareForDeferredProcessing();
    if (this.includeCallerData) {
      event.getCallerData();
    }
    this.writer.enqueue(event);
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    // An interrupted caller (a shutdown hook, a test) must still wait for the queue to be written.
    boolean interrupted = Thread.interrupted();
    try {
      if (this.writer.finish(this.maxFlushTime.getMilliseconds())) {
        write(this.encoder.footerBytes());
      } else {
        int left = this.writer.abandon();
        String report =
            "Stopped the appender named ["
                + this.name
                + "] with "
                + left
                + " log events not written after waiting "
                + this.maxFlushTime
                + " (counted in log_dropped_events_total{reason=\"shutdown\"})";
        addWarn(report);
        // The process is about to end: the last word on stderr, without waiting long for it.
        StderrReport.printAndWait("obskit: " + report, REPORT_WAIT_MILLIS);
      }
    } catch (InterruptedException ex) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void write(byte[] bytes) {
    if (bytes != null && bytes.length > 0) {
      System.out.write(bytes, 0, bytes.length);
      System.out.flush();
    }
  }
}
