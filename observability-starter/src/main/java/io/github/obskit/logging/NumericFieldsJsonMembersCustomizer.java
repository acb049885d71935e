package io.github.obskit.logging;

import java.math.BigDecimal;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * Writes the access log's numeric fields ({@code status}, {@code duration_ms}) as JSON numbers in
 * Boot's structured logging, as the starter's own JSON lines have them.
 *
 * <p>An application logging through Log4j2 gets JSON lines from Boot's structured logging ({@code
 * logging.structured.format.console}), not from the starter. Log4j2's SLF4J binding turns SLF4J
 * key-value pairs into context data whose values are strings, so Boot would write {@code
 * "status":"200"}, and a query or dashboard written against the starter's {@code "status":200}
 * would see another type. Boot loads this customizer from {@code META-INF/spring.factories} for
 * every structured format, console and file, whatever the logging system, so it needs no
 * configuration.
 *
 * <p>Only top-level members of those names change, and only a string that is a JSON number: it is
 * written as that number, its exact value ({@code "200"} as {@code 200}). Any other value (a number
 * already, as logback's key-value pairs are, or a string such as {@code "n/a"}) is written as it
 * was; a log line never loses a value and logging never fails here.
 */
public final class NumericFieldsJsonMembersCustomizer
    implements StructuredLoggingJsonMembersCustomizer<Object> {

  /** Fields the starter's JSON lines write as numbers (docs/CONTRACT.md, Logs). */
  static final Set<String> NUMERIC_FIELDS = Set.of("status", "duration_ms");

  // JSON's number grammar: "0x1F", " 200" or "+5" stay strings. Bounded, so that no string in a
  // log line costs more than a short parse.
  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

  private static final int MAX_NUMBER_LENGTH = 64;

  @Override
  public void customize(JsonWriter.Members<Object> members) {
    // A lambda of Object, not a class of String: Boot skips a value processor whose declared type
    // does not match the member path it is handed along with the value.
    JsonWriter.ValueProcessor<Object> numbers =
        (path, value) ->
            (value instanceof String text && isNumericField(path)) ? asNumber(text) : value;
    members.applyingValueProcessor(numbers);
  }

  private static boolean isNumericField(JsonWriter.MemberPath path) {
    JsonWriter.MemberPath parent = path.parent();
    return NUMERIC_FIELDS.contains(path.name()) && parent != null && parent.parent() == null;
  }

  private static Object asNumber(String text) {
    if (text.length() > MAX_NUMBER_LENGTH || !JSON_NUMBER.matcher(text).matches()) {
      return text;
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException ex) {
      // An exponent beyond BigDecimal's range: keep the text rather than lose the value.
      return text;
    }
  }
}
