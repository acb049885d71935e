package io.github.obskit.passenger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UtcLogFormatterTests {

  private TimeZone defaultZone;

  @BeforeEach
  void useAZoneAheadOfUtc() {
    this.defaultZone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
  }

  @AfterEach
  void restoreTheDefaultZone() {
    TimeZone.setDefault(this.defaultZone);
  }

  @Test
  void printsUtcWhateverTheDefaultZone() {
    LogRecord record = new LogRecord(Level.WARNING, "Passenger status unavailable ({0})");
    record.setInstant(Instant.parse("2026-11-25T09:10:58.955Z"));
    record.setLoggerName("io.github.obskit.passenger.metrics.PassengerMetrics");
    record.setParameters(new Object[] {"timeout"});

    assertThat(new UtcLogFormatter().format(record))
        .isEqualTo(
            "2026-11-25T09:10:58.955Z WARNING io.github.obskit.passenger.metrics.PassengerMetrics:"
                + " Passenger status unavailable (timeout)"
                + System.lineSeparator());
  }

  @Test
  void appendsTheStackTraceOfAThrowable() {
    LogRecord record = new LogRecord(Level.SEVERE, "failed");
    record.setInstant(Instant.parse("2026-11-25T09:10:58Z"));
    record.setLoggerName("passenger-metrics");
    record.setThrown(new IllegalStateException("broken"));

    assertThat(new UtcLogFormatter().format(record))
        .startsWith(
            "2026-11-25T09:10:58.000Z SEVERE passenger-metrics: failed" + System.lineSeparator())
        .contains("java.lang.IllegalStateException: broken")
        .contains("\tat ");
  }
}
