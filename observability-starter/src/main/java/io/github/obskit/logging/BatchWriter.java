package io.github.obskit.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import io.github.obskit.logging.EventQueue.Pending;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer thread of one started {@link BatchingConsoleAppender}, with its own queue, so that a
 * restarted appender never shares one: it encodes and writes the queued events in batches, and
 * applies the blocked-stdout policy (bounded wait, then drop, counted and reported once per stall).
 *
 * <p>Memory is bounded in bytes twice: the queue by an estimate of what its events hold ({@link
 * EventSize}, at most {@code maxQueuedSize}, released as each event is encoded), the batch by
 * writing it out whenever {@value #MAX_BATCH_BYTES} bytes are encoded, each line cut to {@code
 * maxLineSize}. It writes in pieces of whole lines of at most {@value
 * BatchBuffer#ATOMIC_WRITE_SIZE} bytes, so that a pipe nobody reads only ever holds whole lines.
 */
final class BatchWriter implements Runnable {

  private static final int INITIAL_BUFFER_SIZE = 64 * 1024;

  /** The encoded bytes after which a batch is written out before the rest is encoded. */
  static final int MAX_BATCH_BYTES = 512 * 1024;

  // A burst of large events must not pin its peak buffer for the process lifetime.
  private static final int MAX_RETAINED_BUFFER_SIZE = 2 * MAX_BATCH_BYTES;

  private final BatchingConsoleAppender appender;

  private final LineEncoder lineEncoder;

  private final long intervalNanos;

  private final long maxBlockNanos;

  private final EventQueue queue;

  private final Thread thread;

  private final StallWatchdog watchdog;

  private final List<Pending> batch;

  private BatchBuffer buffer = new BatchBuffer(INITIAL_BUFFER_SIZE);

  private final Object lock = new Object();

  // Guarded by lock: events taken from the queue and neither written nor dropped yet.
  private int inHand;

  // Set when stop() gave up waiting: from then on nothing is written, all that is left is counted.
  private volatile boolean abandoned;

  private volatile boolean stopping;

  // Guarded by lock: set once the writer has seen the queue empty after stop() began.
  private boolean ended;

  private final WriterProgress progress;

  private volatile Throwable failure;

  private boolean writeErrorReported;

  private final QueueFullStall queueFull;

  BatchWriter(BatchingConsoleAppender appender, Encoder<ILoggingEvent> encoder) {
    this.appender = appender;
    this.lineEncoder = new LineEncoder(appender, encoder);
    this.intervalNanos =
        TimeUnit.MILLISECONDS.toNanos(appender.getFlushInterval().getMilliseconds());
    this.maxBlockNanos =
        TimeUnit.MILLISECONDS.toNanos(appender.getMaxBlockTime().getMilliseconds());
    this.queueFull = new QueueFullStall(appender.getName(), appender.getMaxBlockTime());
    long stallTimeoutNanos =
        TimeUnit.MILLISECONDS.toNanos(appender.getStallTimeout().getMilliseconds());
    this.progress = new WriterProgress(stallTimeoutNanos);
    this.queue = new EventQueue(appender.getQueueSize(), appender.getMaxQueuedSize().getSize());
    this.batch = new ArrayList<>(appender.getQueueSize());
    this.thread = new Thread(this, "obskit-log-writer-" + appender.getName());
    this.thread.setDaemon(true);
    this.watchdog = new StallWatchdog(this, appender.getName(), stallTimeoutNanos);
  }

  void start() {
    this.thread.start();
    this.watchdog.start();
  }

  void enqueue(ILoggingEvent event) {
    Pending pending = new Pending(event);
    if (this.queue.offer(pending)) {
      afterOffer(pending);
      return;
    }
    if (Thread.currentThread() == this.thread) {
      // Logged while encoding (by a getter, say): waiting for room here would wait for itself.
      drop(DropReason.QUEUE_FULL, 1);
      this.appender.addWarn(
          "Dropped an event of the logger [" + event.getLoggerName() + "] logged while encoding");
      return;
    }
    if (this.queueFull.isOn()) {
      // The writer is still blocked: waiting again would only delay every request.
      drop(DropReason.QUEUE_FULL, 1);
      return;
    }
    waitForRoom(pending);
  }

  private void waitForRoom(Pending pending) {
    if (this.queue.offer(pending, this.thread, this.maxBlockNanos)) {
      afterOffer(pending);
    } else if (this.thread.isAlive()) {
      drop(DropReason.QUEUE_FULL, 1);
      this.queueFull.start();
    } else {
      drop(this.stopping ? DropReason.SHUTDOWN : DropReason.QUEUE_FULL, 1);
      this.appender.addError(
          "Dropped an event of the logger ["
              + pending.event().getLoggerName()
              + "]: the appender named ["
              + this.appender.getName()
              + "] has stopped writing");
    }
  }

  private void afterOffer(Pending pending) {
    if (this.abandoned) {
      // Queued after stop() counted what was left: nobody will write it.
      if (this.queue.remove(pending)) {
        this.queue.release(pending);
        drop(DropReason.SHUTDOWN, 1);
      }
      return;
    }
    if (this.stopping && writerEnded()) {
      // Queued while stop() ran, after the writer's last look at the queue: nobody else will
      // write it.
      writeQueued();
    }
  }

  private boolean writerEnded() {
    synchronized (this.lock) {
      return this.ended;
    }
  }

  private void drop(DropReason reason, int events) {
    reason.add(events);
    if (reason == DropReason.QUEUE_FULL) {
      this.queueFull.dropped(events);
    }
  }

  private void dropInHand(DropReason reason) {
    synchronized (this.lock) {
      this.inHand--;
    }
    if (reason != null) {
      drop(reason, 1);
    }
  }

  /**
   * Why the writer makes no progress: it is working (events wait) and has completed no write for
   * {@code stallTimeout}, or its thread has ended; {@code null} while it makes progress or idles.
   */
  String stallReason() {
    if (this.stopping) {
      return null;
    }
    if (!this.thread.isAlive()) {
      return "the writer thread has ended" + ((this.failure != null) ? ": " + this.failure : "");
    }
    return this.progress.stallReason(this.thread::getState, this::waitingEvents);
  }

  /** How many events are queued or in the writer's hands. */
  int waitingEvents() {
    synchronized (this.lock) {
      return this.queue.size() + this.inHand;
    }
  }

  @Override
  public void run() {
    while (!this.stopping) {
      this.progress.waiting();
      try {
        Pending first = this.queue.take();
        synchronized (this.lock) {
          if (this.abandoned) {
            // Taken after stop() counted what was left: nobody will write it.
            drop(DropReason.SHUTDOWN, 1);
            return;
          }
          this.inHand++;
          this.batch.add(first);
        }
        if (this.queue.hasRoom()) {
          // Returns early when a logging thread finds the queue full, or on stop.
          LockSupport.parkNanos(this, this.intervalNanos);
        }
      } catch (InterruptedException ex) {
        // Only stop() interrupts, to end the wait for an event; the loop checks why.
      }
      // A pending interrupt must not reach the write: some streams close when interrupted.
      Thread.interrupted();
      this.progress.working();
      writeTaken();
    }
    // The last looks at the queue are this thread's, so that stop() bounds them by its
    // maxFlushTime: written by the stopping thread, a stdout nobody reads would block a shutdown
    // hook for good. An event queued after the last one is written by its logging thread.
    boolean queued = true;
    while (queued) {
      writeTaken();
      synchronized (this.lock) {
        queued = this.queue.size() > 0 && !this.abandoned;
        this.ended = !queued;
      }
    }
    this.progress.waiting();
  }

  boolean finish(long maxFlushMillis) throws InterruptedException {
    this.stopping = true;
    this.watchdog.stop();
    this.thread.interrupt();
    this.thread.join(maxFlushMillis);
    return !this.thread.isAlive();
  }

  /**
   * Gives up on a writer that {@link #finish} did not see end: nothing more is written, and every
   * event still queued or in its hands is counted as dropped.
   *
   * @return how many events that are
   */
  int abandon() {
    List<Pending> left = new ArrayList<>();
    int count;
    synchronized (this.lock) {
      this.abandoned = true;
      this.queue.drainTo(left);
      count = left.size() + this.inHand;
      this.inHand = 0;
    }
    drop(DropReason.SHUTDOWN, count);
    return count;
  }

  /** Writes what logging threads queued after the writer's last look, once the writer is gone. */
  private synchronized void writeQueued() {
    writeTaken();
  }

  private void writeTaken() {
    try {
      synchronized (this.lock) {
        if (this.abandoned) {
          return;
        }
        this.inHand += this.queue.drainTo(this.batch);
      }
      writeBatch();
    } catch (RuntimeException | Error ex) {
      // Whatever goes wrong, the writer must go on: logging threads wait on it.
      this.failure = ex;
      lose(ex);
    }
  }

  private void writeBatch() {
    for (int i = 0; i < this.batch.size(); i++) {
      Pending pending = this.batch.get(i);
      // The event's memory goes as soon as it is encoded.
      this.batch.set(i, null);
      this.queue.release(pending);
      encode(pending.event());
      if (this.buffer.size() >= MAX_BATCH_BYTES && !writeBuffer()) {
        return;
      }
    }
    this.batch.clear();
    writeBuffer();
  }

  /** Counts what the writer holds as lost after an error of its own. */
  private void lose(Throwable ex) {
    for (Pending pending : this.batch) {
      if (pending != null) {
        this.queue.release(pending);
      }
    }
    this.batch.clear();
    this.buffer = new BatchBuffer(INITIAL_BUFFER_SIZE);
    int lost;
    synchronized (this.lock) {
      lost = this.inHand;
      this.inHand = 0;
    }
    drop(DropReason.WRITE_FAILED, lost);
    this.appender.addError("Lost " + lost + " log events to an error of the writer", ex);
  }

  private void encode(ILoggingEvent event) {
    switch (this.lineEncoder.encode(event, this.buffer)) {
      case WRITTEN -> this.buffer.endEvent();
      case EMPTY -> dropInHand(null);
      case ENCODING_FAILED -> dropInHand(DropReason.ENCODING_FAILED);
      case TOO_LARGE -> dropInHand(DropReason.TOO_LARGE);
    }
  }

  /**
   * Writes the buffer in pieces of whole events, then empties it.
   *
   * @return {@code false} once stop() has given up on the writer
   */
  private boolean writeBuffer() {
    PrintStream out = System.out;
    try {
      int events = this.buffer.events();
      for (int first = 0; first < events; ) {
        if (this.abandoned) {
          return false;
        }
        int end = this.buffer.pieceEnd(first);
        int from = (first == 0) ? 0 : this.buffer.eventEnd(first - 1);
        boolean written = write(out, from, this.buffer.eventEnd(end - 1));
        synchronized (this.lock) {
          this.inHand -= end - first;
        }
        if (!written) {
          drop(DropReason.WRITE_FAILED, end - first);
        }
        first = end;
      }
      return true;
    } finally {
      this.buffer =
          this.buffer.isLargerThan(MAX_RETAINED_BUFFER_SIZE)
              ? new BatchBuffer(INITIAL_BUFFER_SIZE)
              : this.buffer;
      this.buffer.reset();
    }
  }

  private boolean write(PrintStream out, int from, int to) {
    this.progress.writeStarted();
    try {
      out.write(this.buffer.bytes(), from, to - from);
    } catch (RuntimeException | Error ex) {
      writeFailed();
      return false;
    } finally {
      this.progress.writeEnded();
    }
    this.progress.writeCompleted();
    this.queueFull.end();
    if (out.checkError()) {
      writeFailed();
      return false;
    }
    return true;
  }

  private void writeFailed() {
    if (!this.writeErrorReported) {
      this.writeErrorReported = true;
      this.appender.addError(
          "Could not write to System.out; events are being lost (counted in"
              + " log_dropped_events_total{reason=\"write_failed\"})");
    }
  }
}
