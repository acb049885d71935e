package io.github.obskit.passenger.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --timeout} and {@code --cache-ttl}: a whole number with the unit {@code ms}, {@code
 * s} or {@code m} ({@code 500ms}, {@code 10s}, {@code 1m}), or an ISO-8601 duration ({@code
 * PT10S}). A bare number is seconds, as in the versions before units were accepted. Durations are
 * positive and at most {@link #MAX_DURATION}.
 */
final class DurationConverter implements ITypeConverter<Duration> {

  // Longer waits or caches serve no scrape, and far longer ones overflow the nanoseconds the
  // cache counts in.
  static final Duration MAX_DURATION = Duration.ofHours(1);

  private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)(ms|s|m)?");

  @Override
  public Duration convert(String value) {
    Duration duration = parse(value);
    if (duration.compareTo(MAX_DURATION) > 0) {
      throw tooLong(value);
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new TypeConversionException("must be positive, not '" + value + "'");
    }
    return duration;
  }

  private static Duration parse(String value) {
    Matcher matcher = WITH_UNIT.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (matcher.matches()) {
      String unit = (matcher.group(2) != null) ? matcher.group(2) : "s";
      try {
        long amount = Long.parseLong(matcher.group(1));
        return switch (unit) {
          case "ms" -> Duration.ofMillis(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofSeconds(amount);
        };
      } catch (NumberFormatException | ArithmeticException ex) {
        // Only digits matched, so the number is beyond a long or the duration beyond Duration.
        throw tooLong(value);
      }
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException ex) {
      throw new TypeConversionException(
          "expects a duration like 500ms, 10s or 1m, not '" + value + "'");
    }
  }

  private static TypeConversionException tooLong(String value) {
    return new TypeConversionException("must be at most 1h, not '" + value + "'");
  }
}
