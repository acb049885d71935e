package io.github.obskit.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.util.Duration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;

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
 * <p>Nothing is discarded: when the queue is full, a logging thread wakes the writer and waits for
 * room. On {@link #stop()} (Boot's logging shutdown hook) the queue is written out, waiting at most
 * {@link #setMaxFlushTime maxFlushTime}. {@code System.out} is looked up for each batch, so output
 * capture with {@code System.setOut} keeps working.
 */
public class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private static final int DEFAULT_QUEUE_SIZE = 8192;

  private Encoder<ILoggingEvent> encoder;

  private int queueSize = DEFAULT_QUEUE_SIZE;

  private Duration flushInterval = Duration.buildByMilliseconds(20);

  private Duration maxFlushTime = Duration.buildBySeconds(1);

  private BlockingQueue<ILoggingEvent> queue;

  private Thread writer;

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
   * Sets the longest an event waits for the rest of its batch before it is written.
   *
   * @param flushInterval the interval, 20 milliseconds unless set
   */
  public void setFlushInterval(Duration flushInterval) {
    this.flushInterval = flushInterval;
  }

  /**
   * Sets the longest {@link #stop()} waits for the queued events to be written.
   *
   * @param maxFlushTime the time, 1 second unless set
   */
  public void setMaxFlushTime(Duration maxFlushTime) {
    this.maxFlushTime = maxFlushTime;
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
    this.queue = new ArrayBlockingQueue<>(this.queueSize);
    write(this.encoder.headerBytes());
    this.writer = new Thread(this::writeBatches, "obskit-log-writer-" + this.name);
    this.writer.setDaemon(true);
    super.start();
    this.writer.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    // The writer reads the event later, on its own thread: fix what is taken from this one now.
    event.prepareForDeferredProcessing();
    if (this.queue.offer(event)) {
      return;
    }
    // A full queue should not wait out the writer's interval.
    LockSupport.unpark(this.writer);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          this.queue.put(event);
          return;
        } catch (InterruptedException ex) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    this.writer.interrupt();
    try {
      this.writer.join(this.maxFlushTime.getMilliseconds());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    if (this.writer.isAlive()) {
      addWarn(
          "Stopped the appender named ["
              + this.name
              + "] with "
              + this.queue.size()
              + " events not yet written after waiting "
              + this.maxFlushTime);
    } else {
      write(this.encoder.footerBytes());
    }
  }

  private void writeBatches() {
    List<ILoggingEvent> batch = new ArrayList<>();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    try {
      while (isStarted()) {
        batch.add(this.queue.take());
        // Returns early when a logging thread finds the queue full or on stop (an interrupt).
        LockSupport.parkNanos(this, this.flushInterval.getMilliseconds() * 1_000_000L);
        this.queue.drainTo(batch);
        writeBatch(batch, buffer);
      }
    } catch (InterruptedException ex) {
      // Stopping while waiting for an event: what is queued is written below.
    }
    this.queue.drainTo(batch);
    writeBatch(batch, buffer);
  }

  private void writeBatch(List<ILoggingEvent> batch, ByteArrayOutputStream buffer) {
    for (ILoggingEvent event : batch) {
      try {
        buffer.writeBytes(this.encoder.encode(event));
      } catch (RuntimeException ex) {
        addError("Could not encode an event of the logger [" + event.getLoggerName() + "]", ex);
      }
    }
    batch.clear();
    if (buffer.size() == 0) {
      return;
    }
    PrintStream out = System.out;
    try {
      buffer.writeTo(out);
    } catch (IOException ex) {
      addError("Could not write to System.out", ex);
    }
    out.flush();
    buffer.reset();
  }

  private void write(byte[] bytes) {
    if (bytes != null && bytes.length > 0) {
      System.out.write(bytes, 0, bytes.length);
      System.out.flush();
    }
  }
}
