package io.github.obskit.logging;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A request header's value as a log field, such as the access log's {@code user_agent}.
 *
 * <p>Servlet containers and Netty turn each header byte into one character (ISO-8859-1), so a UTF-8
 * header arrives as mojibake ({@code "Ã¼"} for {@code "ü"}). A value whose bytes are valid UTF-8 is
 * therefore read again as UTF-8; any other value is kept as it arrived. The value is then capped at
 * {@value #MAX_LENGTH} characters, and a cut one ends in {@value #CUT_MARK}, so a client cannot
 * make a log line as long as its header.
 */
public final class HeaderText {

  /** The most characters of a header value kept. */
  public static final int MAX_LENGTH = 512;

  /** What a cut value ends in, after its first {@value #MAX_LENGTH} characters (or one fewer). */
  public static final String CUT_MARK = "…";

  private static final char LAST_LATIN_1 = '\u00ff';

  private HeaderText() {}

  /**
   * The header value to log.
   *
   * @param value the value as the server decoded it, or {@code null}
   * @return the value decoded and capped, or {@code null} when {@code value} is {@code null}
   */
  public static String forLog(String value) {
    if (value == null) {
      return null;
    }
    return cap(asUtf8(value), MAX_LENGTH);
  }

  private static String asUtf8(String value) {
    boolean ascii = true;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c > LAST_LATIN_1) {
        // Not one character per byte: the server decoded it already.
        return value;
      }
      ascii &= c < 0x80;
    }
    if (ascii) {
      return value;
    }
    try {
      CharBuffer decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)));
      return decoded.toString();
    } catch (CharacterCodingException ex) {
      // Latin-1 text (obs-text), or random bytes: logged as they came.
      return value;
    }
  }

  /**
   * The value capped at {@code maxLength} characters, a cut one ending in {@value #CUT_MARK} after
   * its first {@code maxLength} characters (or one fewer: never half a character), as for a header;
   * for other client text in a log line, such as the access log's {@code path}.
   *
   * @param value the value, or {@code null}
   * @param maxLength the most characters kept, at least 1
   * @return the value capped, or {@code null} when {@code value} is {@code null}
   */
  public static String cap(String value, int maxLength) {
    if (value == null || value.length() <= maxLength) {
      return value;
    }
    int end = maxLength;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      // Never half a character: a lone surrogate would be written as U+FFFD or an escape.
      end--;
    }
    return value.substring(0, end) + CUT_MARK;
  }
}
