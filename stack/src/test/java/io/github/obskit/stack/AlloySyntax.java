package io.github.obskit.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A small parser for the Alloy configuration syntax: blocks, attributes, strings, lists, objects,
 * references and function calls. Enough to read our pipeline the way Alloy does, instead of
 * matching it with regular expressions.
 */
final class AlloySyntax {

  /** A block such as {@code loki.process "json_logs" { ... }}. */
  record Block(String name, String label, Map<String, Object> attributes, List<Block> blocks) {

    Stream<Block> children(String childName) {
      return this.blocks.stream().filter((block) -> block.name().equals(childName));
    }

    Stream<Block> descendants(String descendantName) {
      return this.blocks.stream()
          .flatMap((block) -> Stream.concat(Stream.of(block), block.descendants(descendantName)))
          .filter((block) -> block.name().equals(descendantName));
    }
  }

  /** An unquoted expression such as {@code discovery.docker.containers.targets}. */
  record Reference(String text) {}

  /** A call of a standard-library function such as {@code sys.env("NAME")}. */
  record Call(String function, List<Object> arguments) {}

  private final String source;

  private int position;

  private AlloySyntax(String source) {
    this.source = source;
  }

  /** Parses a whole file into a root block named {@code ""}. */
  static Block parse(String source) {
    AlloySyntax parser = new AlloySyntax(source);
    Block root = new Block("", null, new LinkedHashMap<>(), new ArrayList<>());
    parser.body(root, true);
    return root;
  }

  private void body(Block block, boolean root) {
    while (true) {
      skipSpaceAndComments();
      if (atEnd()) {
        if (!root) {
          throw error("unclosed block " + block.name());
        }
        return;
      }
      if (peek() == '}') {
        if (root) {
          throw error("unexpected }");
        }
        this.position++;
        return;
      }
      String name = identifier();
      skipSpaceAndComments();
      if (peek() == '=') {
        this.position++;
        block.attributes().put(name, expression());
        continue;
      }
      String label = null;
      if (peek() == '"') {
        label = string();
        skipSpaceAndComments();
      }
      expect('{');
      Block child = new Block(name, label, new LinkedHashMap<>(), new ArrayList<>());
      body(child, false);
      block.blocks().add(child);
    }
  }

  private Object expression() {
    skipSpaceAndComments();
    char next = peek();
    if (next == '"') {
      return string();
    }
    if (next == '[') {
      this.position++;
      List<Object> items = new ArrayList<>();
      while (!consumeIf(']')) {
        items.add(expression());
        skipSpaceAndComments();
        if (!consumeIf(',')) {
          expect(']');
          break;
        }
      }
      return items;
    }
    if (next == '{') {
      this.position++;
      Map<String, Object> fields = new LinkedHashMap<>();
      while (!consumeIf('}')) {
        skipSpaceAndComments();
        String key = (peek() == '"') ? string() : identifier();
        skipSpaceAndComments();
        expect('=');
        fields.put(key, expression());
        skipSpaceAndComments();
        if (!consumeIf(',')) {
          expect('}');
          break;
        }
      }
      return fields;
    }
    int start = this.position;
    while (!atEnd() && (Character.isLetterOrDigit(peek()) || "._-".indexOf(peek()) >= 0)) {
      this.position++;
    }
    if (start == this.position) {
      throw error("expected an expression");
    }
    String name = this.source.substring(start, this.position);
    if (consumeIf('(')) {
      List<Object> arguments = new ArrayList<>();
      while (!consumeIf(')')) {
        arguments.add(expression());
        if (!consumeIf(',')) {
          expect(')');
          break;
        }
      }
      return new Call(name, arguments);
    }
    return new Reference(name);
  }

  private String identifier() {
    int start = this.position;
    while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '.')) {
      this.position++;
    }
    if (start == this.position) {
      throw error("expected a name");
    }
    return this.source.substring(start, this.position);
  }

  private String string() {
    expect('"');
    StringBuilder value = new StringBuilder();
    while (true) {
      if (atEnd()) {
        throw error("unterminated string");
      }
      char c = this.source.charAt(this.position++);
      if (c == '"') {
        return value.toString();
      }
      if (c == '\\') {
        char escaped = this.source.charAt(this.position++);
        switch (escaped) {
          case 'n' -> value.append('\n');
          case 't' -> value.append('\t');
          case 'r' -> value.append('\r');
          case '"', '\\' -> value.append(escaped);
          default -> throw error("unsupported escape \\" + escaped);
        }
      } else {
        value.append(c);
      }
    }
  }

  private void skipSpaceAndComments() {
    while (!atEnd()) {
      if (Character.isWhitespace(peek())) {
        this.position++;
      } else if (this.source.startsWith("//", this.position)) {
        int end = this.source.indexOf('\n', this.position);
        this.position = (end < 0) ? this.source.length() : end;
      } else if (this.source.startsWith("/*", this.position)) {
        int end = this.source.indexOf("*/", this.position);
        if (end < 0) {
          throw error("unclosed comment");
        }
        this.position = end + 2;
      } else {
        return;
      }
    }
  }

  private boolean consumeIf(char expected) {
    skipSpaceAndComments();
    if (!atEnd() && peek() == expected) {
      this.position++;
      return true;
    }
    return false;
  }

  private void expect(char expected) {
    if (!consumeIf(expected)) {
      throw error("expected '" + expected + "'");
    }
  }

  private boolean atEnd() {
    return this.position >= this.source.length();
  }

  private char peek() {
    return this.source.charAt(this.position);
  }

  private IllegalArgumentException error(String message) {
    int line =
        (int)
                this.source
                    .substring(0, Math.min(this.position, this.source.length()))
                    .chars()
                    .filter((c) -> c == '\n')
                    .count()
            + 1;
    return new IllegalArgumentException("Alloy config, line " + line + ": " + message);
  }
}
