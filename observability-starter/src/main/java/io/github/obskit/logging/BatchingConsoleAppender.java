package io.github.obskit.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.util.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes encoded events to {@code System.out} from one background thread, in batches: the first
 * event after a quiet spell is written at most {@link #setFlushInterval flushInterval} later,
 * together with every event logged meanwhile, in one write.
 *
 * <p>Logback's {@code AsyncAppender} wakes its writer thread for nearly every event on a busy
 * server and its console target writes each line on its own; at one access-log line per request
 * that hand-off costs more than encoding the line. Here logging threads only queue the event: the
 * writer sleeps out the interval instead of waiting to be signalled, so no logging thread wakes it
 * while it is busy, and a batch costs one wake-up and one {@code write}, as nginx's {@code
 * access_log ... buffer= flush=} does.
 *
 * <p>No request hangs on logging when nobody reads stdout: when the queue is full, a logging thread
 * wakes the writer and waits for room at most {@link #setMaxBlockTime maxBlockTime}, then drops the
 * event. That starts a stall: until the writer completes a write again, events that find the queue
 * full are dropped at once, without waiting. Every dropped event is counted ({@link
 * #getDroppedEvents()}, the meter {@code log.dropped.events}); a stall is reported on stderr when
 * it starts and when it ends, and {@link #isStalled()} is {@code true} while it lasts or while a
 * write has been blocked for longer than {@code maxBlockTime}, which the starter's health indicator
 * turns into readiness DOWN. On {@link #stop()} (Boot's logging shutdown hook) the queue is written
 * out, waiting at most {@link #setMaxFlushTime maxFlushTime}; what is left is counted as dropped.
 * {@code System.out} is looked up for each batch, so output capture with {@code System.setOut}
 * keeps working.
 */
public class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private static final int DEFAULT_QUEUE_SIZE = 8192;

  // Across appenders and reconfigurations: the meter reads one count for the whole process.
  static final LongAdder droppedEvents = new LongAdder();

  private Encoder<ILoggingEvent> encoder;

  private int queueSize = DEFAULT_QUEUE_SIZE;

  private Duration flushInterval = Duration.buildByMilliseconds(20);

  private Duration maxFlushTime = Duration.buildBySeconds(1);

  private Duration maxBlockTime = Duration.buildByMilliseconds(100);

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
   * Returns how many events every appender of this type in the process has dropped: found the queue
   * full for longer than {@code maxBlockTime}, or were left in the queue when an appender stopped.
   *
   * @return the count since the class was loaded
   */
  public static long getDroppedEvents() {
    return droppedEvents.sum();
  }

  /**
   * Whether the appender is stalled: it drops events, or its current write to stdout has taken
   * longer than {@code maxBlockTime} (nobody reads stdout).
   *
   * @return {@code true} while stalled
   */
  public boolean isStalled() {
    BatchWriter current = this.writer;
    return isStarted() && current != null && current.isStalled();
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
    write(this.encoder.headerBytes());
    this.writer =
        new BatchWriter(
            this,
            this.encoder,
            new ArrayBlockingQueue<>(this.queueSize),
            TimeUnit.MILLISECONDS.toNanos(this.flushInterval.getMilliseconds()),
            this.maxBlockTime);
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
        int left = this.writer.queued();
        droppedEvents.add(left);
        addWarn(
            "Stopped the appender named ["
                + this.name
                + "] with "
                + left
                + " events not yet written after waiting "
                + this.maxFlushTime);
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
