package io.github.obskit.passenger.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Formats the CLI's log lines as {@code 2026-11-25T09:10:58.955Z WARNING logger: message}, in UTC
 * whatever the default time zone: {@link java.util.logging.SimpleFormatter} can only print the
 * default zone's local time, and its offset without the colon RFC 3339 parsers expect.
 */
final class UtcLogFormatter extends Formatter {

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  @Override
  public String format(LogRecord record) {
    StringBuilder line =
        new StringBuilder()
            .append(TIMESTAMP.format(record.getInstant()))
            .append(' ')
            .append(record.getLevel().getName())
            .append(' ')
            .append(record.getLoggerName())
            .append(": ")
            .append(formatMessage(record));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
    }
    return line.append(System.lineSeparator()).toString();
  }
}
