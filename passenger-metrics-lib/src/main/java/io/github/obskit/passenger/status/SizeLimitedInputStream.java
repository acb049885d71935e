package io.github.obskit.passenger.status;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fails the read that goes past a byte limit, so an oversized document is rejected while it streams
 * instead of after it has been buffered. {@link #limitExceeded()} stays true afterwards because XML
 * parsers wrap the {@link IOException} in their own exception types.
 */
final class SizeLimitedInputStream extends FilterInputStream {

  private final long limit;

  private long count;

  private boolean limitExceeded;

  SizeLimitedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int value = super.read();
    if (value >= 0) {
      add(1);
    }
    return value;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int read = super.read(buffer, offset, length);
    if (read > 0) {
      add(read);
    }
    return read;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    add(skipped);
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  boolean limitExceeded() {
    return limitExceeded;
  }

  private void add(long read) throws IOException {
    count += read;
    if (count > limit) {
      limitExceeded = true;
      throw new IOException("status document exceeds the limit of " + limit + " bytes");
    }
  }
}
