package io.github.obskit.passenger.status.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the top level of an instance directory's {@code properties.json}. A small strict JSON
 * reader keeps the library free of a JSON dependency; the file is written by Passenger's watchdog
 * and is a few hundred bytes.
 */
final class InstanceProperties {

  /** The largest file read; Passenger's is a few hundred bytes. */
  static final int MAX_BYTES = 64 * 1024;

  private final String json;

  private int position;

  private InstanceProperties(String json) {
    this.json = json;
  }

  /**
   * Parses a JSON object. Numbers become {@link Long} when integral, otherwise {@link Double};
   * nested objects and arrays become maps and lists.
   *
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  static Map<String, Object> parse(String json) {
    InstanceProperties reader = new InstanceProperties(json);
    reader.skipWhitespace();
    if (reader.peek() != '{') {
      throw reader.error("expected an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) reader.value();
    reader.skipWhitespace();
    if (reader.position != json.length()) {
      throw reader.error("unexpected text after the object");
    }
    return object;
  }

  private Object value() {
    skipWhitespace();
    char c = peek();
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + c + "'");
      }
    };
  }

  private Map<String, Object> object() {
    Map<String, Object> object = new LinkedHashMap<>();
    position++;
    skipWhitespace();
    if (peek() == '}') {
      position++;
      return object;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String name = string();
      skipWhitespace();
      expect(':');
      object.put(name, value());
      skipWhitespace();
      char next = next();
      if (next == '}') {
        return object;
      }
      if (next != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array() {
    List<Object> array = new ArrayList<>();
    position++;
    skipWhitespace();
    if (peek() == ']') {
      position++;
      return array;
    }
    while (true) {
      array.add(value());
      skipWhitespace();
      char next = next();
      if (next == ']') {
        return array;
      }
      if (next != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    position++;
    StringBuilder text = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return text.toString();
      }
      if (c != '\\') {
        text.append(c);
        continue;
      }
      char escaped = next();
      switch (escaped) {
        case '"', '\\', '/' -> text.append(escaped);
        case 'b' -> text.append('\b');
        case 'f' -> text.append('\f');
        case 'n' -> text.append('\n');
        case 'r' -> text.append('\r');
        case 't' -> text.append('\t');
        case 'u' -> {
          if (position + 4 > json.length()) {
            throw error("truncated \\u escape");
          }
          try {
            text.append((char) Integer.parseInt(json.substring(position, position + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("invalid \\u escape");
          }
          position += 4;
        }
        default -> throw error("invalid escape '\\" + escaped + "'");
      }
    }
  }

  private Object number() {
    int start = position;
    while (position < json.length() && "+-0123456789.eE".indexOf(json.charAt(position)) >= 0) {
      position++;
    }
    String text = json.substring(start, position);
    try {
      if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
        return Long.parseLong(text);
      }
      return Double.parseDouble(text);
    } catch (NumberFormatException ex) {
      throw error("invalid number '" + text + "'");
    }
  }

  private Object literal(String word, Object value) {
    if (!json.startsWith(word, position)) {
      throw error("expected '" + word + "'");
    }
    position += word.length();
    return value;
  }

  private void expect(char expected) {
    if (next() != expected) {
      throw error("expected '" + expected + "'");
    }
  }

  private char peek() {
    if (position >= json.length()) {
      throw error("unexpected end");
    }
    return json.charAt(position);
  }

  private char next() {
    char c = peek();
    position++;
    return c;
  }

  private void skipWhitespace() {
    while (position < json.length() && Character.isWhitespace(json.charAt(position))) {
      position++;
    }
  }

  private IllegalArgumentException error(String problem) {
    return new IllegalArgumentException("invalid JSON at offset " + position + ": " + problem);
  }
}
