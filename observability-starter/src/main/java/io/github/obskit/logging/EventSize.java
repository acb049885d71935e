package io.github.obskit.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * An estimate of the heap a queued event holds, for the byte bound of the queue: the characters of
 * its texts counted as bytes (Java stores Latin-1 text one byte per character), plus a fixed cost
 * per object. Cheap enough for the logging thread: lengths only, nothing is formatted.
 */
final class EventSize {

  private static final int EVENT_OVERHEAD = 256;

  private static final int FIELD_OVERHEAD = 32;

  private static final int FRAME_SIZE = 128;

  private static final int MAX_CAUSES = 64;

  private EventSize() {}

  static int estimate(ILoggingEvent event) {
    long size = EVENT_OVERHEAD + length(event.getFormattedMessage());
    if (event.getMessage() != event.getFormattedMessage()) {
      size += length(event.getMessage());
    }
    List<KeyValuePair> keyValuePairs = event.getKeyValuePairs();
    if (keyValuePairs != null) {
      for (KeyValuePair pair : keyValuePairs) {
        size += FIELD_OVERHEAD + length(pair.key) + length(pair.value);
      }
    }
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      for (Map.Entry<String, String> entry : mdc.entrySet()) {
        size += FIELD_OVERHEAD + length(entry.getKey()) + length(entry.getValue());
      }
    }
    size += throwable(event.getThrowableProxy(), 0);
    return (int) Math.min(size, Integer.MAX_VALUE);
  }

  private static long throwable(IThrowableProxy proxy, int depth) {
    if (proxy == null || depth > MAX_CAUSES || proxy.isCyclic()) {
      return 0;
    }
    long size = FIELD_OVERHEAD + length(proxy.getClassName()) + length(proxy.getMessage());
    if (proxy.getStackTraceElementProxyArray() != null) {
      size += (long) FRAME_SIZE * proxy.getStackTraceElementProxyArray().length;
    }
    size += throwable(proxy.getCause(), depth + 1);
    if (proxy.getSuppressed() != null) {
      for (IThrowableProxy suppressed : proxy.getSuppressed()) {
        size += throwable(suppressed, depth + 1);
      }
    }
    return size;
  }

  private static int length(Object value) {
    if (value == null) {
      return 0;
    }
    return (value instanceof CharSequence text) ? text.length() : FIELD_OVERHEAD;
  }
}
