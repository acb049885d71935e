package io.github.obskit.passenger.status;

import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Moves through a status document and reads its leaf values; every failure names its place. */
final class XmlValues {

  private static final int EXCERPT_LENGTH = 120;

  private XmlValues() {}

  /**
   * Advances to the next child element of the current element.
   *
   * @return {@code true} positioned on the child's start tag, {@code false} on the current
   *     element's end tag
   */
  static boolean nextChild(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    while (true) {
      switch (xml.next()) {
        case XMLStreamConstants.START_ELEMENT:
          return true;
        case XMLStreamConstants.END_ELEMENT:
          return false;
        case XMLStreamConstants.ENTITY_REFERENCE:
          throw forbidden(xml, "an entity reference");
        default:
          // Whitespace, comments and processing instructions between elements carry no data.
      }
    }
  }

  static void skipElement(XMLStreamReader xml) throws XMLStreamException, PassengerStatusException {
    int depth = 1;
    while (depth > 0) {
      switch (xml.next()) {
        case XMLStreamConstants.START_ELEMENT -> depth++;
        case XMLStreamConstants.END_ELEMENT -> depth--;
        case XMLStreamConstants.ENTITY_REFERENCE -> throw forbidden(xml, "an entity reference");
        default -> {
          // Content of elements we do not model.
        }
      }
    }
  }

  /** Reads the text of a leaf element, leaving the reader on its end tag. */
  static String text(XMLStreamReader xml) throws XMLStreamException, PassengerStatusException {
    String element = xml.getLocalName();
    return collectText(xml, element, xml.next());
  }

  /** Collects text from the current event, {@code event}, up to the end tag of {@code element}. */
  private static String collectText(XMLStreamReader xml, String element, int event)
      throws XMLStreamException, PassengerStatusException {
    String single = null;
    StringBuilder several = null;
    while (true) {
      switch (event) {
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
          // Character references arrive as separate events; join them without copying the
          // common single-event case.
          if (single == null) {
            single = xml.getText();
          } else {
            if (several == null) {
              several = new StringBuilder(single);
            }
            several.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
          }
        }
        case XMLStreamConstants.END_ELEMENT -> {
          String value = several != null ? several.toString() : single != null ? single : "";
          return repairUtf8(value);
        }
        case XMLStreamConstants.START_ELEMENT ->
            throw malformed(
                xml, "<" + element + "> contains an element <" + xml.getLocalName() + ">");
        case XMLStreamConstants.ENTITY_REFERENCE -> throw forbidden(xml, "an entity reference");
        default -> {
          // Comments and processing instructions inside a value are ignored.
        }
      }
      event = xml.next();
    }
  }

  static int intValue(XMLStreamReader xml) throws XMLStreamException, PassengerStatusException {
    String element = xml.getLocalName();
    long value = longValue(xml);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw malformed(xml, "<" + element + "> is out of range: " + value);
    }
    return (int) value;
  }

  static long longValue(XMLStreamReader xml) throws XMLStreamException, PassengerStatusException {
    String element = xml.getLocalName();
    int event = xml.next();
    String text;
    if (event == XMLStreamConstants.CHARACTERS) {
      // Most of a status document is numbers: the common case, one text event and the end tag,
      // is parsed in place without building a String.
      OptionalLong value =
          parseLong(
              CharBuffer.wrap(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength()));
      // The characters are only valid until the next event; a number split by a character
      // reference continues after it.
      String first = value.isPresent() ? null : xml.getText();
      event = xml.next();
      if (event == XMLStreamConstants.END_ELEMENT && value.isPresent()) {
        return value.getAsLong();
      }
      text =
          (first != null ? first : Long.toString(value.getAsLong()))
              + collectText(xml, element, event);
    } else {
      text = collectText(xml, element, event);
    }
    OptionalLong value = parseLong(text);
    if (value.isEmpty()) {
      throw malformed(xml, "<" + element + "> is not a whole number: \"" + excerpt(text) + "\"");
    }
    return value.getAsLong();
  }

  /** A whole decimal number between optional blanks, as the JDK parses it; empty otherwise. */
  private static OptionalLong parseLong(CharSequence text) {
    int start = 0;
    int end = text.length();
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    try {
      return OptionalLong.of(Long.parseLong(text, start, end, 10));
    } catch (NumberFormatException ex) {
      return OptionalLong.empty();
    }
  }

  /**
   * Undoes Passenger's byte-wise escaping: "&#195;&#169;" arrives as the two chars "Ã©", which are
   * the UTF-8 bytes of "é". Text that is not valid UTF-8 that way is genuine Latin-1 and is kept.
   */
  static String repairUtf8(String value) {
    boolean nonAscii = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c > 0xFF) {
        return value;
      }
      nonAscii |= c >= 0x80;
    }
    if (!nonAscii) {
      return value;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)))
          .toString();
    } catch (CharacterCodingException ex) {
      return value;
    }
  }

  static PassengerStatusException forbidden(XMLStreamReader xml, String construct) {
    return new PassengerStatusException(
        Reason.FORBIDDEN_CONSTRUCT,
        "the Passenger status contains "
            + construct
            + at(xml.getLocation())
            + ", which is not allowed in untrusted input");
  }

  static PassengerStatusException malformed(XMLStreamReader xml, String problem) {
    return malformed(xml.getLocation(), problem);
  }

  static PassengerStatusException malformed(Location location, String problem) {
    return new PassengerStatusException(
        Reason.MALFORMED, "invalid Passenger status" + at(location) + ": " + problem);
  }

  static String at(Location location) {
    if (location == null || location.getLineNumber() < 0) {
      return "";
    }
    return " at line " + location.getLineNumber() + ", column " + location.getColumnNumber();
  }

  static String excerpt(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return UntrustedText.quote(
        oneLine.length() <= EXCERPT_LENGTH ? oneLine : oneLine.substring(0, EXCERPT_LENGTH) + "…");
  }
}
