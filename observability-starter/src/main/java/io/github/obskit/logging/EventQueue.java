package io.github.obskit.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The events waiting for the writer, bounded by count and by bytes: each holds its {@link
 * EventSize} estimate of the byte bound from {@link #offer} until the writer has encoded it and
 * calls {@link #release}.
 */
final class EventQueue {

  // Room appears when the writer drains the queue or encodes an event; nothing signals it.
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final BlockingQueue<Pending> queue;

  private final AtomicLong reservedBytes = new AtomicLong();

  private final long maxBytes;

  EventQueue(int capacity, long maxBytes) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBytes = maxBytes;
  }

  /** Queues the event if both bounds leave room for it; never waits. */
  boolean offer(Pending pending) {
    if (!reserve(pending.size())) {
      return false;
    }
    if (this.queue.offer(pending)) {
      return true;
    }
    release(pending);
    return false;
  }

  /**
   * Queues the event, waiting for room at most {@code maxWaitNanos} while the writer thread lives,
   * and waking it meanwhile so that a full queue does not wait out its interval.
   *
   * @return whether the event was queued
   */
  boolean offer(Pending pending, Thread writer, long maxWaitNanos) {
    long deadline = System.nanoTime() + maxWaitNanos;
    // A pending interrupt would end every park at once: kept aside, and restored.
    boolean interrupted = Thread.interrupted();
    try {
      while (writer.isAlive()) {
        // Waking it again on each retry covers a missed wake-up.
        LockSupport.unpark(writer);
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        LockSupport.parkNanos(this, Math.min(remaining, RETRY_NANOS));
        interrupted |= Thread.interrupted();
        if (offer(pending)) {
          return true;
        }
      }
      return false;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean reserve(int size) {
    while (true) {
      long reserved = this.reservedBytes.get();
      // An event larger than the bound still passes an empty queue: its logger holds it anyway.
      if (reserved > 0 && reserved + size > this.maxBytes) {
        return false;
      }
      if (this.reservedBytes.compareAndSet(reserved, reserved + size)) {
        return true;
      }
    }
  }

  /** Gives the event's bytes back to the bound: it has been encoded, or dropped. */
  void release(Pending pending) {
    this.reservedBytes.addAndGet(-pending.size());
  }

  /** Whether an event of the usual size would still find room: the writer need not hurry. */
  boolean hasRoom() {
    return this.queue.remainingCapacity() > 0 && this.reservedBytes.get() < this.maxBytes;
  }

  Pending take() throws InterruptedException {
    return this.queue.take();
  }

  int drainTo(Collection<Pending> batch) {
    return this.queue.drainTo(batch);
  }

  boolean remove(Pending pending) {
    return this.queue.remove(pending);
  }

  int size() {
    return this.queue.size();
  }

  /** A queued event and the bytes its estimate holds of the queue's bound. */
  record Pending(ILoggingEvent event, int size) {

    Pending(ILoggingEvent event) {
      this(event, EventSize.estimate(event));
    }
  }
}
