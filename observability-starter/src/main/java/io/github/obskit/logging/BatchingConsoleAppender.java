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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import net.logstash.logback.encoder.StreamingEncoder;

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

  private static final int INITIAL_BUFFER_SIZE = 64 * 1024;

  // A burst of large events (stack traces) must not pin its peak buffer for the process lifetime.
  private static final int MAX_RETAINED_BUFFER_SIZE = 1024 * 1024;

  private static final long FULL_QUEUE_RETRY_MILLIS = 10;

  // Across appenders and reconfigurations: the meter reads one count for the whole process.
  private static final LongAdder droppedEvents = new LongAdder();

  private Encoder<ILoggingEvent> encoder;

  private int queueSize = DEFAULT_QUEUE_SIZE;

  private Duration flushInterval = Duration.buildByMilliseconds(20);

  private Duration maxFlushTime = Duration.buildBySeconds(1);

  private Duration maxBlockTime = Duration.buildByMilliseconds(100);

  private boolean includeCallerData;

  private Writer writer;

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
    Writer current = this.writer;
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
    this.writer = new Writer(new ArrayBlockingQueue<>(this.queueSize));
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
        int left = this.writer.queue.size();
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

  /** The writer thread with its own queue, so that a restarted appender never shares one. */
  private final class Writer implements Runnable {

    private final BlockingQueue<ILoggingEvent> queue;

    private final Thread thread;

    private final List<ILoggingEvent> batch = new ArrayList<>();

    private BatchBuffer buffer = new BatchBuffer();

    private volatile boolean stopping;

    private boolean writeErrorReported;

    // When the write in progress started (System.nanoTime), 0 between writes.
    private volatile long writeStartedNanos;

    // Set by the first event dropped for a full queue, cleared by the next completed write.
    private final AtomicBoolean dropping = new AtomicBoolean();

    private final LongAdder droppedInStall = new LongAdder();

    private Writer(BlockingQueue<ILoggingEvent> queue) {
      this.queue = queue;
      this.thread = new Thread(this, "obskit-log-writer-" + BatchingConsoleAppender.this.name);
      this.thread.setDaemon(true);
    }

    private void start() {
      this.thread.start();
    }

    private void enqueue(ILoggingEvent event) {
      if (this.queue.offer(event)) {
        writeIfStopped();
        return;
      }
      if (Thread.currentThread() == this.thread) {
        // Logged while encoding (by a getter, say): waiting for room here would wait for itself.
        drop();
        addWarn(
            "Dropped an event of the logger [" + event.getLoggerName() + "] logged while encoding");
        return;
      }
      if (this.dropping.get()) {
        // The writer is still blocked: waiting again would only delay every request.
        drop();
        return;
      }
      long deadline =
          System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxBlockTime.getMilliseconds());
      boolean interrupted = false;
      try {
        while (this.thread.isAlive()) {
          // A full queue should not wait out the interval; waking it again covers a missed wake-up.
          LockSupport.unpark(this.thread);
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            startStall();
            return;
          }
          try {
            if (this.queue.offer(
                event,
                Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(FULL_QUEUE_RETRY_MILLIS)),
                TimeUnit.NANOSECONDS)) {
              writeIfStopped();
              return;
            }
          } catch (InterruptedException ex) {
            interrupted = true;
          }
        }
        drop();
        addError(
            "Dropped an event of the logger ["
                + event.getLoggerName()
                + "]: the appender named ["
                + BatchingConsoleAppender.this.name
                + "] has stopped writing");
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private void drop() {
      droppedEvents.increment();
      this.droppedInStall.increment();
    }

    private void startStall() {
      drop();
      if (this.dropping.compareAndSet(false, true)) {
        report(
            "obskit: stdout has not been read for "
                + maxBlockTime
                + "; dropping log events of the appender named ["
                + BatchingConsoleAppender.this.name
                + "] until it is (counted in log_dropped_events_total)");
      }
    }

    private void endStall() {
      if (this.dropping.compareAndSet(true, false)) {
        report(
            "obskit: stdout is read again; the appender named ["
                + BatchingConsoleAppender.this.name
                + "] dropped "
                + this.droppedInStall.sumThenReset()
                + " log events meanwhile");
      } else {
        this.droppedInStall.reset();
      }
    }

    /**
     * Writes one line to stderr from a thread of its own: stderr may be the same unread pipe, and
     * the logging thread must not block on it.
     */
    private void report(String message) {
      PrintStream err = System.err;
      Thread reporter = new Thread(() -> err.println(message), "obskit-log-stall-report");
      reporter.setDaemon(true);
      reporter.start();
    }

    private boolean isStalled() {
      long started = this.writeStartedNanos;
      return this.dropping.get()
          || (started != 0
              && System.nanoTime() - started
                  > TimeUnit.MILLISECONDS.toNanos(maxBlockTime.getMilliseconds()));
    }

    @Override
    public void run() {
      long intervalNanos = TimeUnit.MILLISECONDS.toNanos(flushInterval.getMilliseconds());
      while (!this.stopping) {
        try {
          this.batch.add(this.queue.take());
          if (this.queue.remainingCapacity() > 0) {
            // Returns early when a logging thread finds the queue full, or on stop.
            LockSupport.parkNanos(this, intervalNanos);
          }
        } catch (InterruptedException ex) {
          // Only stop() interrupts, to end the wait for an event; the loop checks why.
        }
        // A pending interrupt must not reach the write: some streams close when interrupted.
        Thread.interrupted();
        this.queue.drainTo(this.batch);
        writeBatch();
      }
    }

    private boolean finish(long maxFlushMillis) throws InterruptedException {
      this.stopping = true;
      this.thread.interrupt();
      this.thread.join(maxFlushMillis);
      if (this.thread.isAlive()) {
        return false;
      }
      writeQueued();
      return true;
    }

    private void writeIfStopped() {
      if (this.stopping && !this.thread.isAlive()) {
        // Queued while stop() ran, after its last look at the queue: nobody else will write it.
        writeQueued();
      }
    }

    /** Writes what logging threads queued after the writer's last look, once the writer is gone. */
    private synchronized void writeQueued() {
      this.queue.drainTo(this.batch);
      writeBatch();
    }

    @SuppressWarnings("unchecked") // a streaming encoder set here encodes what the encoder does
    private void encode(ILoggingEvent event) throws IOException {
      // logstash-logback-encoder's encoders write straight into the batch: no array per event.
      if (encoder instanceof StreamingEncoder<?>) {
        ((StreamingEncoder<ILoggingEvent>) encoder).encode(event, this.buffer);
      } else {
        this.buffer.writeBytes(encoder.encode(event));
      }
    }

    private void writeBatch() {
      for (ILoggingEvent event : this.batch) {
        int eventStart = this.buffer.size();
        try {
          encode(event);
        } catch (IOException | RuntimeException | Error ex) {
          // A half-encoded event must not tear the line of the next one.
          this.buffer.truncate(eventStart);
          // Whatever goes wrong with one event, the writer must go on: logging threads wait on it.
          addError("Could not encode an event of the logger [" + event.getLoggerName() + "]", ex);
        }
      }
      this.batch.clear();
      if (this.buffer.size() == 0) {
        return;
      }
      PrintStream out = System.out;
      this.writeStartedNanos = Math.max(System.nanoTime(), 1);
      try {
        this.buffer.writeTo(out);
      } finally {
        this.writeStartedNanos = 0;
      }
      endStall();
      if (out.checkError() && !this.writeErrorReported) {
        this.writeErrorReported = true;
        addError("Could not write to System.out; events are being lost");
      }
      this.buffer = this.buffer.isOversized() ? new BatchBuffer() : this.buffer;
      this.buffer.reset();
    }
  }

  /** The bytes of one batch, written with one call. */
  private static final class BatchBuffer extends ByteArrayOutputStream {

    private BatchBuffer() {
      super(INITIAL_BUFFER_SIZE);
    }

    private void writeTo(PrintStream out) {
      out.write(this.buf, 0, this.count);
    }

    private void truncate(int size) {
      this.count = size;
    }

    private boolean isOversized() {
      return this.buf.length > MAX_RETAINED_BUFFER_SIZE;
    }
  }
}
