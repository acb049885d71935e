package io.github.obskit.passenger.status;

/**
 * Makes text from outside (a status document, a command's output, an HTTP answer, a file name in a
 * shared directory) safe to quote in a message, a log line or on a terminal: control characters are
 * written as escapes ({@code \n}, {@code \r}, {@code \t}, {@code \u001b}, …), so the text can
 * neither forge another log line nor send escape sequences to a terminal. A backslash is left as it
 * is, so quoting twice changes nothing.
 */
public final class UntrustedText {

  private UntrustedText() {}

  /**
   * Escapes the control characters of {@code text}: C0, DEL and C1, and the Unicode line and
   * paragraph separators and bidirectional overrides, which reorder or break lines on display.
   *
   * @param text the text, or {@code null}
   * @return the text with those characters escaped; {@code "null"} for {@code null}
   */
  public static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder quoted = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String escape = escape(c);
      if (escape != null && quoted == null) {
        quoted = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (quoted != null) {
        if (escape != null) {
          quoted.append(escape);
        } else {
          quoted.append(c);
        }
      }
    }
    return (quoted != null) ? quoted.toString() : text;
  }

  private static String escape(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        break;
    }
    boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F);
    boolean layout =
        c == '\u2028'
            || c == '\u2029'
            || (c >= '\u202A' && c <= '\u202E')
            || (c >= '\u2066' && c <= '\u2069');
    return (control || layout) ? String.format("\\u%04x", (int) c) : null;
  }
}
