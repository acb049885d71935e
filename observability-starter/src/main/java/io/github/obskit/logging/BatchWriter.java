package io.github.obskit.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.util.Duration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import net.logstash.logback.encoder.StreamingEncoder;

/**
 * The writer thread of one started {@link BatchingConsoleAppender}, with its own queue, so that a
 * restarted appender never shares one: it encodes and writes the queued events in batches, and
 * applies the blocked-stdout policy (bounded wait, then drop, counted and reported once per stall).
 */
final class BatchWriter implements Runnable {

  private static final int INITIAL_BUFFER_SIZE = 64 * 1024;

  // A burst of large events (stack traces) must not pin its peak buffer for the process lifetime.
  private static final int MAX_RETAINED_BUFFER_SIZE = 1024 * 1024;

  private static final long FULL_QUEUE_RETRY_MILLIS = 10;

  private final BatchingConsoleAppender appender;

  private final Encoder<ILoggingEvent> encoder;

  private final long intervalNanos;

  private final Duration maxBlockTime;

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

  BatchWriter(
      BatchingConsoleAppender appender,
      Encoder<ILoggingEvent> encoder,
      BlockingQueue<ILoggingEvent> queue,
      long intervalNanos,
      Duration maxBlockTime) {
    this.appender = appender;
    this.encoder = encoder;
    this.queue = queue;
    this.intervalNanos = intervalNanos;
    this.maxBlockTime = maxBlockTime;
    this.thread = new Thread(this, "obskit-log-writer-" + appender.getName());
    this.thread.setDaemon(true);
  }

  void start() {
    this.thread.start();
  }

  void enqueue(ILoggingEvent event) {
    if (this.queue.offer(event)) {
      writeIfStopped();
      return;
    }
    if (Thread.currentThread() == this.thread) {
      // Logged while encoding (by a getter, say): waiting for room here would wait for itself.
      drop();
      this.appender.addWarn(
          "Dropped an event of the logger [" + event.getLoggerName() + "] logged while encoding");
      return;
    }
    if (this.dropping.get()) {
      // The writer is still blocked: waiting again would only delay every request.
      drop();
      return;
    }
    long deadline =
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.maxBlockTime.getMilliseconds());
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
      this.appender.addError(
          "Dropped an event of the logger ["
              + event.getLoggerName()
              + "]: the appender named ["
              + this.appender.getName()
              + "] has stopped writing");
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void drop() {
    BatchingConsoleAppender.droppedEvents.increment();
    this.droppedInStall.increment();
  }

  private void startStall() {
    drop();
    if (this.dropping.compareAndSet(false, true)) {
      report(
          "obskit: stdout has not been read for "
              + this.maxBlockTime
              + "; dropping log events of the appender named ["
              + this.appender.getName()
              + "] until it is (counted in log_dropped_events_total)");
    }
  }

  private void endStall() {
    if (this.dropping.compareAndSet(true, false)) {
      report(
          "obskit: stdout is read again; the appender named ["
              + this.appender.getName()
              + "] dropped "
              + this.droppedInStall.sumThenReset()
              + " log events meanwhile");
    } else {
      this.droppedInStall.reset();
    }
  }

  /**
   * Writes one line to stderr from a thread of its own: stderr may be the same unread pipe, and the
   * logging thread must not block on it.
   */
  private void report(String message) {
    PrintStream err = System.err;
    Thread reporter = new Thread(() -> err.println(message), "obskit-log-stall-report");
    reporter.setDaemon(true);
    reporter.start();
  }

  boolean isStalled() {
    long started = this.writeStartedNanos;
    return this.dropping.get()
        || (started != 0
            && System.nanoTime() - started
                > TimeUnit.MILLISECONDS.toNanos(this.maxBlockTime.getMilliseconds()));
  }

  @Override
  public void run() {
    while (!this.stopping) {
      try {
        this.batch.add(this.queue.take());
        if (this.queue.remainingCapacity() > 0) {
          // Returns early when a logging thread finds the queue full, or on stop.
          LockSupport.parkNanos(this, this.intervalNanos);
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

  boolean finish(long maxFlushMillis) throws InterruptedException {
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
    if (this.encoder instanceof StreamingEncoder<?>) {
      ((StreamingEncoder<ILoggingEvent>) this.encoder).encode(event, this.buffer);
    } else {
      this.buffer.writeBytes(this.encoder.encode(event));
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
        this.appender.addError(
            "Could not encode an event of the logger [" + event.getLoggerName() + "]", ex);
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
      this.appender.addError("Could not write to System.out; events are being lost");
    }
    this.buffer = this.buffer.isOversized() ? new BatchBuffer() : this.buffer;
    this.buffer.reset();
  }

  /** How many events are queued and not yet written. */
  int queued() {
    return this.queue.size();
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
