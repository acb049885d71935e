package io.github.obskit.passenger.status;

import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streaming (StAX) parser for the document that {@code passenger-status --show=xml} prints and the
 * core API serves at {@code /pool.xml}.
 *
 * <p>The document is treated as untrusted input: a DOCTYPE (and with it every entity declaration)
 * is rejected, and the size limit is enforced while reading, so memory stays bounded whatever the
 * input. Elements are matched by their path from the root ({@code
 * info/supergroups/supergroup/group/processes/process}), never by name alone: a group's Unix {@code
 * <group>} and the {@code <group>}/{@code <user>} inside {@code <options>} are ignored.
 *
 * <p>Formats: {@code <info version="3">} (Passenger 5 and 6) and {@code <info version="2">}
 * (Passenger 4, whose supergroups may hold several groups) are parsed; higher versions are parsed
 * too, on the assumption that they keep the element names. A root without a version (Passenger 3
 * and older, a different tree) is rejected with {@link Reason#MALFORMED}. The plain-text answer
 * "{@code Phusion Passenger(R) is currently not serving any applications.}" (what {@code
 * passenger-status} prints instead of a status when the pool is empty and it has no admin rights)
 * parses to a status without applications, whose version and pool max are unknown.
 *
 * <p>Conversions: times are epoch microseconds, memory is in KB, {@code -1} means unknown, and
 * per-process metrics count only when {@code <has_metrics>} is {@code true}; unknown values are
 * empty optionals, never zero. Non-ASCII names, which Passenger escapes byte by byte ({@code
 * &#195;&#169;} for "é"), are decoded back to UTF-8.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PassengerStatusParser {

  /** The default size limit: 16 MiB, some 12,000 processes. */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

  private static final String NOT_SERVING_SUFFIX = " is currently not serving any applications.";

  /** How much of a plain-text answer is read to recognise or quote it. */
  private static final int PLAIN_TEXT_PREFIX = 1024;

  private final long maxBytes;

  /** Creates a parser with the {@link #DEFAULT_MAX_BYTES default size limit}. */
  public PassengerStatusParser() {
    this(DEFAULT_MAX_BYTES);
  }

  /**
   * Creates a parser that rejects documents larger than {@code maxBytes}.
   *
   * @param maxBytes the size limit in bytes, positive
   */
  public PassengerStatusParser(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** The size limit in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Parses a status document from a byte stream. The stream is read up to the end of the document
   * or the size limit, and is not closed.
   *
   * @param input the document bytes, in any of the encodings Passenger declares
   * @return the parsed status
   * @throws PassengerStatusException with {@link Reason#EMPTY}, {@link Reason#TOO_LARGE}, {@link
   *     Reason#FORBIDDEN_CONSTRUCT}, {@link Reason#MALFORMED} or {@link Reason#IO}
   */
  public PassengerStatus parse(InputStream input) throws PassengerStatusException {
    Objects.requireNonNull(input, "input");
    SizeLimitedInputStream limited = new SizeLimitedInputStream(input, maxBytes);
    // Passenger escapes every non-ASCII byte as a character reference, and before 6.0.5 declares
    // "iso8859-1", a name the JDK refuses on a byte stream. Decoding Latin-1 ourselves maps each
    // byte to one char and makes the declared name irrelevant; text values are repaired after.
    Reader reader = new InputStreamReader(limited, StandardCharsets.ISO_8859_1);
    return parse(reader, limited::limitExceeded);
  }

  /**
   * Parses a status document held in a string. The size limit applies to its length in chars.
   *
   * @param document the document
   * @return the parsed status
   * @throws PassengerStatusException as {@link #parse(InputStream)}
   */
  public PassengerStatus parse(String document) throws PassengerStatusException {
    Objects.requireNonNull(document, "document");
    if (document.length() > maxBytes) {
      throw tooLarge();
    }
    return parse(new StringReader(document), () -> false);
  }

  private PassengerStatus parse(Reader source, BooleanSupplier limitExceeded)
      throws PassengerStatusException {
    try {
      PushbackReader reader = new PushbackReader(source);
      int first = skipWhitespace(reader);
      if (first < 0) {
        throw new PassengerStatusException(Reason.EMPTY, "the Passenger status answer is empty");
      }
      if (first != '<') {
        return parsePlainText((char) first, reader);
      }
      reader.unread(first);
      XMLStreamReader xml = newFactory().createXMLStreamReader(reader);
      try {
        return StatusElements.readDocument(xml);
      } finally {
        xml.close();
      }
    } catch (XMLStreamException ex) {
      if (limitExceeded.getAsBoolean()) {
        throw tooLarge();
      }
      throw new PassengerStatusException(
          Reason.MALFORMED, "the Passenger status is not well-formed XML" + describe(ex), ex);
    } catch (IOException ex) {
      if (limitExceeded.getAsBoolean()) {
        throw tooLarge();
      }
      throw new PassengerStatusException(
          Reason.IO, "reading the Passenger status failed: " + ex.getMessage(), ex);
    }
  }

  private PassengerStatusException tooLarge() {
    return new PassengerStatusException(
        Reason.TOO_LARGE,
        "the Passenger status exceeds the size limit of "
            + maxBytes
            + " bytes; raise the limit if the instance really runs that many processes");
  }

  private static XMLInputFactory newFactory() {
    // The JDK's own implementation, not whichever StAX provider the classpath brings: the
    // behaviour verified by the tests (Reader input, DOCTYPE reported as an event) is its.
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    return factory;
  }

  private static int skipWhitespace(Reader reader) throws IOException {
    int c;
    do {
      c = reader.read();
    } while (c >= 0 && Character.isWhitespace(c));
    return c;
  }

  private static PassengerStatus parsePlainText(char first, Reader reader)
      throws IOException, PassengerStatusException {
    StringBuilder text = new StringBuilder().append(first);
    int c;
    while (text.length() < PLAIN_TEXT_PREFIX && (c = reader.read()) >= 0) {
      text.append((char) c);
    }
    boolean complete = reader.read() < 0;
    String trimmed = text.toString().strip();
    if (complete && trimmed.indexOf('\n') < 0 && trimmed.endsWith(NOT_SERVING_SUFFIX)) {
      return PassengerStatus.empty(PassengerStatus.UNKNOWN_VERSION);
    }
    String firstLine = trimmed.lines().findFirst().orElse("");
    throw new PassengerStatusException(
        Reason.MALFORMED,
        "the Passenger status is not an XML document; it starts with \""
            + XmlValues.excerpt(firstLine)
            + "\"");
  }

  private static String describe(XMLStreamException ex) {
    String message = Objects.requireNonNullElse(ex.getMessage(), ex.toString());
    // The JDK prefixes "ParseError at [row,col]:[l,c]\nMessage: "; the location is reported
    // once, in our own words.
    int index = message.indexOf("Message: ");
    String detail = index >= 0 ? message.substring(index + "Message: ".length()) : message;
    return XmlValues.at(ex.getLocation())
        + " (truncated or not XML?): "
        + UntrustedText.quote(detail.strip());
  }
}
