package io.github.obskit.logging;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The encoded events of one batch, each ending where {@link #endEvent()} was called, written out in
 * pieces of whole events.
 */
final class BatchBuffer extends ByteArrayOutputStream {

  /**
   * The most bytes one write to a pipe takes in at once (POSIX {@code PIPE_BUF}, 4096 on Linux): a
   * write of whole events up to this size is either all in the pipe or not at all, so a process
   * that ends while stdout is not read leaves only whole lines in it.
   */
  static final int ATOMIC_WRITE_SIZE = 4096;

  private int[] eventEnds = new int[256];

  private int events;

  BatchBuffer(int initialSize) {
    super(initialSize);
  }

  /** Marks the end of the event written since the last mark. */
  void endEvent() {
    if (this.events == this.eventEnds.length) {
      this.eventEnds = Arrays.copyOf(this.eventEnds, this.events * 2);
    }
    this.eventEnds[this.events++] = this.count;
  }

  /** Drops what was written after the given size (the part of an event that failed). */
  void truncate(int size) {
    this.count = size;
  }

  int events() {
    return this.events;
  }

  int eventEnd(int event) {
    return this.eventEnds[event];
  }

  /**
   * The index after the last event of the piece that starts at event {@code first}: as many whole
   * events as fit in {@link #ATOMIC_WRITE_SIZE} bytes, and at least one.
   */
  int pieceEnd(int first) {
    int start = (first == 0) ? 0 : this.eventEnds[first - 1];
    int next = first + 1;
    while (next < this.events && this.eventEnds[next] - start <= ATOMIC_WRITE_SIZE) {
      next++;
    }
    return next;
  }

  byte[] bytes() {
    return this.buf;
  }

  boolean isLargerThan(int capacity) {
    return this.buf.length > capacity;
  }

  @Override
  public void reset() {
    super.reset();
    this.events = 0;
  }
}
