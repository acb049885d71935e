package io.github.obskit.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import java.io.IOException;
import net.logstash.logback.encoder.StreamingEncoder;

/** Encodes one event into the batch as one line of at most {@code maxLineSize} bytes. */
final class LineEncoder {

  enum Outcome {
    WRITTEN,
    EMPTY,
    ENCODING_FAILED,
    TOO_LARGE
  }

  private final BatchingConsoleAppender appender;

  private final Encoder<ILoggingEvent> encoder;

  private final int maxLineBytes;

  LineEncoder(BatchingConsoleAppender appender, Encoder<ILoggingEvent> encoder) {
    this.appender = appender;
    this.encoder = encoder;
    this.maxLineBytes = (int) appender.getMaxLineSize().getSize();
  }

  Outcome encode(ILoggingEvent event, BatchBuffer buffer) {
    int start = buffer.size();
    try {
      encodeInto(event, buffer);
      int length = buffer.size() - start;
      if (length > this.maxLineBytes) {
        return cut(event, buffer, start, length);
      }
    } catch (IOException | RuntimeException | Error ex) {
      // A half-encoded event must not tear the line of the next one. Whatever goes wrong with one
      // event (an OutOfMemoryError too), the writer must go on: logging threads wait on it.
      buffer.truncate(start);
      this.appender.addError(
          "Could not encode an event of the logger [" + event.getLoggerName() + "]", ex);
      return Outcome.ENCODING_FAILED;
    }
    return (buffer.size() > start) ? Outcome.WRITTEN : Outcome.EMPTY;
  }

  @SuppressWarnings("unchecked") // a streaming encoder set here encodes what the encoder does
  private void encodeInto(ILoggingEvent event, BatchBuffer buffer) throws IOException {
    // logstash-logback-encoder's encoders write straight into the batch: no array per event.
    if (this.encoder instanceof StreamingEncoder<?>) {
      ((StreamingEncoder<ILoggingEvent>) this.encoder).encode(event, buffer);
    } else {
      buffer.writeBytes(this.encoder.encode(event));
    }
  }

  private Outcome cut(ILoggingEvent event, BatchBuffer buffer, int start, int length) {
    byte[] line = LineCutter.cut(buffer.bytes(), start, length, this.maxLineBytes);
    buffer.truncate(start);
    if (line == null) {
      this.appender.addWarn(
          "Dropped an event of the logger ["
              + event.getLoggerName()
              + "]: longer than maxLineSize ("
              + this.maxLineBytes
              + " bytes) with every text field cut");
      return Outcome.TOO_LARGE;
    }
    buffer.write(line, 0, line.length);
    BatchingConsoleAppender.truncatedEvents.increment();
    return Outcome.WRITTEN;
  }
}
