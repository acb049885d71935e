package io.github.obskit.logging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Cuts an encoded event that is longer than the line limit, so that it stays one line for Docker's
 * json-file driver and CRI runtimes, which split longer lines into pieces that are no JSON.
 *
 * <p>A JSON object keeps every field and its order: the longest text fields (in practice {@code
 * stack_trace} and {@code message}) are cut to one length, the largest that makes the line fit, so
 * that each keeps its beginning (the exception and its first frames, the start of the message);
 * each cut value ends in {@value HeaderText#CUT_MARK}, and the object gets {@code
 * "truncated":true}. Any other text is cut at the limit on a character boundary and ends in the
 * same mark. Only lines over the limit are parsed: the common case costs nothing.
 */
final class LineCutter {

  /** The field marking a cut event. */
  static final String TRUNCATED_FIELD = "truncated";

  private static final JsonMapper json = JsonMapper.builder().build();

  private static final byte[] CUT_MARK = HeaderText.CUT_MARK.getBytes(StandardCharsets.UTF_8);

  private static final byte NEWLINE = '\n';

  // Usually one round; more when a field's wide characters are not spread evenly over it.
  private static final int MAX_ROUNDS = 8;

  private LineCutter() {}

  /**
   * The event's bytes cut to at most {@code maxBytes}, its line end included.
   *
   * @return the cut line ending in a newline, or {@code null} when it cannot be cut short enough
   */
  static byte[] cut(byte[] bytes, int offset, int length, int maxBytes) {
    ObjectNode object = parseObject(bytes, offset, length);
    return (object != null) ? cutObject(object, maxBytes) : cutText(bytes, offset, maxBytes);
  }

  private static ObjectNode parseObject(byte[] bytes, int offset, int length) {
    if (length == 0 || bytes[offset] != '{') {
      return null;
    }
    try {
      return (json.readTree(bytes, offset, length) instanceof ObjectNode object) ? object : null;
    } catch (JacksonException ex) {
      // Starts like JSON but is not (a pattern): cut as text.
      return null;
    }
  }

  private static byte[] cutObject(ObjectNode object, int maxBytes) {
    object.put(TRUNCATED_FIELD, true);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      byte[] line = json.writeValueAsBytes(object);
      int excess = line.length + 1 - maxBytes;
      if (excess <= 0) {
        byte[] withNewline = Arrays.copyOf(line, line.length + 1);
        withNewline[line.length] = NEWLINE;
        return withNewline;
      }
      List<String> names = new ArrayList<>();
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (field.getValue() instanceof StringNode) {
          names.add(field.getKey());
        }
      }
      int[] lengths = new int[names.size()];
      long[] sizes = new long[names.size()];
      for (int i = 0; i < lengths.length; i++) {
        String text = object.get(names.get(i)).asString();
        lengths[i] = text.length();
        sizes[i] = utf8Size(text);
      }
      int keep = longestKept(lengths, sizes, excess);
      if (keep < 0) {
        return null;
      }
      for (int i = 0; i < lengths.length; i++) {
        if (lengths[i] > keep) {
          String text = object.get(names.get(i)).asString();
          int end = keep;
          if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
          }
          object.put(names.get(i), text.substring(0, end) + HeaderText.CUT_MARK);
        }
      }
    }
    return null;
  }

  /**
   * The most characters every text field may keep so that cutting the longer ones to it saves about
   * {@code excess} bytes, each field's bytes taken as spread evenly over its characters (the next
   * round corrects an uneven one).
   *
   * @return the number of characters, or -1 when even emptying every text field would not do
   */
  private static int longestKept(int[] lengths, long[] sizes, int excess) {
    int low = 0;
    int high = 0;
    for (int length : lengths) {
      high = Math.max(high, length);
    }
    if (saved(lengths, sizes, 0) < excess) {
      return -1;
    }
    // The largest keep that still saves enough: saved() falls as keep grows.
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (saved(lengths, sizes, middle) >= excess) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  private static long saved(int[] lengths, long[] sizes, int keep) {
    long saved = 0;
    for (int i = 0; i < lengths.length; i++) {
      if (lengths[i] > keep) {
        saved += sizes[i] * (lengths[i] - keep) / lengths[i] - CUT_MARK.length;
      }
    }
    return saved;
  }

  private static long utf8Size(String text) {
    long size = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // A surrogate pair is four bytes: two for each half.
      size += (c < 0x80) ? 1 : (c < 0x800) ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return size;
  }

  private static byte[] cutText(byte[] bytes, int offset, int maxBytes) {
    int end = maxBytes - CUT_MARK.length - 1;
    if (end < 0) {
      return null;
    }
    // Never half a UTF-8 character: back up over continuation bytes (10xxxxxx).
    while (end > 0 && (bytes[offset + end] & 0xC0) == 0x80) {
      end--;
    }
    byte[] line = new byte[end + CUT_MARK.length + 1];
    System.arraycopy(bytes, offset, line, 0, end);
    System.arraycopy(CUT_MARK, 0, line, end, CUT_MARK.length);
    line[line.length - 1] = NEWLINE;
    return line;
  }
}
