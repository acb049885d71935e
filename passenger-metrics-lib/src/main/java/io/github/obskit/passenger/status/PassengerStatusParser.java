package io.github.obskit.passenger.status;

import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
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

  private static final int EXCERPT_LENGTH = 120;

  private static final int KIBIBYTE = 1024;

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
        return readDocument(xml);
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
            + excerpt(firstLine)
            + "\"");
  }

  private static PassengerStatus readDocument(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    while (true) {
      int event = xml.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        break;
      }
      if (event == XMLStreamConstants.DTD) {
        throw forbidden(xml, "a DOCTYPE declaration");
      }
      if (event == XMLStreamConstants.END_DOCUMENT) {
        throw malformed(xml, "the document has no root element");
      }
    }
    if (!"info".equals(xml.getLocalName())) {
      throw malformed(
          xml,
          "the root element is <"
              + xml.getLocalName()
              + ">, not <info>: this is not the output of passenger-status --show=xml");
    }
    checkFormatVersion(xml);
    PassengerStatus status = readInfo(xml);
    // Reading to the end rejects trailing garbage and a second root element.
    while (xml.hasNext()) {
      xml.next();
    }
    return status;
  }

  private static void checkFormatVersion(XMLStreamReader xml) throws PassengerStatusException {
    String version = xml.getAttributeValue(null, "version");
    int parsed;
    try {
      parsed = version == null ? 0 : Integer.parseInt(version.strip());
    } catch (NumberFormatException ex) {
      parsed = 0;
    }
    if (parsed < 2) {
      throw malformed(
          xml,
          "unsupported status format <info version=\""
              + UntrustedText.quote(Objects.requireNonNullElse(version, ""))
              + "\">: only version 2 (Passenger 4) and later (Passenger 5 and 6 write 3) are"
              + " supported");
    }
  }

  private static PassengerStatus readInfo(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    String version = PassengerStatus.UNKNOWN_VERSION;
    int groupCount = -1;
    int processCount = 0;
    OptionalInt poolMax = OptionalInt.empty();
    int capacityUsed = 0;
    int waitListSize = 0;
    List<SupergroupStatus> supergroups = new ArrayList<>();
    while (nextChild(xml)) {
      switch (xml.getLocalName()) {
        case "passenger_version" -> version = text(xml);
        case "group_count" -> groupCount = intValue(xml);
        case "process_count" -> processCount = intValue(xml);
        case "max" -> poolMax = OptionalInt.of(intValue(xml));
        // Passenger 4.0 called the capacity "utilization".
        case "capacity_used", "utilization" -> capacityUsed = intValue(xml);
        case "get_wait_list_size" -> waitListSize = intValue(xml);
        case "supergroups" -> readSupergroups(xml, supergroups);
        default -> skipElement(xml);
      }
    }
    if (groupCount < 0) {
      groupCount = supergroups.stream().mapToInt(supergroup -> supergroup.groups().size()).sum();
    }
    return new PassengerStatus(
        version, groupCount, processCount, poolMax, capacityUsed, waitListSize, supergroups);
  }

  private static void readSupergroups(XMLStreamReader xml, List<SupergroupStatus> supergroups)
      throws XMLStreamException, PassengerStatusException {
    while (nextChild(xml)) {
      if ("supergroup".equals(xml.getLocalName())) {
        supergroups.add(readSupergroup(xml));
      } else {
        skipElement(xml);
      }
    }
  }

  private static SupergroupStatus readSupergroup(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    Location start = xml.getLocation();
    String name = null;
    String state = "";
    int capacityUsed = 0;
    List<GroupStatus> groups = new ArrayList<>();
    while (nextChild(xml)) {
      switch (xml.getLocalName()) {
        case "name" -> name = text(xml);
        case "state" -> state = text(xml);
        case "capacity_used", "utilization" -> capacityUsed = intValue(xml);
        case "group" -> groups.add(readGroup(xml));
        // supergroup/get_wait_list_size is skipped on purpose: Passenger >= 5.0.10 always reports
        // 0 there; the queue is read from the groups (SupergroupStatus#waitListSize).
        default -> skipElement(xml);
      }
    }
    if (name == null) {
      throw malformed(start, "a <supergroup> has no <name>");
    }
    return new SupergroupStatus(name, state, capacityUsed, groups);
  }

  private static GroupStatus readGroup(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    Location start = xml.getLocation();
    String name = null;
    String appRoot = "";
    String appType = "";
    String environment = "";
    int capacityUsed = 0;
    int waitListSize = 0;
    int processesBeingSpawned = 0;
    int enabledProcessCount = 0;
    String lifeStatus = "";
    List<ProcessStatus> processes = new ArrayList<>();
    while (nextChild(xml)) {
      switch (xml.getLocalName()) {
        case "name" -> name = text(xml);
        case "app_root" -> appRoot = text(xml);
        case "app_type" -> appType = text(xml);
        case "environment" -> environment = text(xml);
        case "capacity_used", "utilization" -> capacityUsed = intValue(xml);
        case "get_wait_list_size" -> waitListSize = intValue(xml);
        case "processes_being_spawned" -> processesBeingSpawned = intValue(xml);
        case "enabled_process_count" -> enabledProcessCount = intValue(xml);
        case "life_status" -> lifeStatus = text(xml);
        case "processes" -> readProcesses(xml, processes);
        // Also skips the Unix <group> and <user> of the group and the whole <options> subtree.
        default -> skipElement(xml);
      }
    }
    if (name == null) {
      throw malformed(start, "a <group> has no <name>");
    }
    return new GroupStatus(
        name,
        appRoot,
        appType,
        environment,
        capacityUsed,
        waitListSize,
        processesBeingSpawned,
        enabledProcessCount,
        lifeStatus,
        processes);
  }

  private static void readProcesses(XMLStreamReader xml, List<ProcessStatus> processes)
      throws XMLStreamException, PassengerStatusException {
    while (nextChild(xml)) {
      if ("process".equals(xml.getLocalName())) {
        processes.add(readProcess(xml));
      } else {
        skipElement(xml);
      }
    }
  }

  private static ProcessStatus readProcess(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    Location start = xml.getLocation();
    long pid = -1;
    int sessions = 0;
    int concurrency = 0;
    int busyness = 0;
    long processed = 0;
    long spawnStartTime = -1;
    long spawnEndTime = -1;
    long lastUsed = -1;
    String lifeStatus = "";
    String enabled = "";
    boolean hasMetrics = false;
    long cpu = -1;
    long realMemoryKb = -1;
    long rssKb = -1;
    long swapKb = -1;
    while (nextChild(xml)) {
      switch (xml.getLocalName()) {
        case "pid" -> pid = longValue(xml);
        case "sessions" -> sessions = intValue(xml);
        case "concurrency" -> concurrency = intValue(xml);
        case "busyness" -> busyness = intValue(xml);
        case "processed" -> processed = longValue(xml);
        case "spawn_start_time" -> spawnStartTime = longValue(xml);
        case "spawn_end_time" -> spawnEndTime = longValue(xml);
        case "last_used" -> lastUsed = longValue(xml);
        case "life_status" -> lifeStatus = text(xml);
        case "enabled" -> enabled = text(xml);
        case "has_metrics" -> hasMetrics = "true".equals(text(xml));
        case "cpu" -> cpu = longValue(xml);
        case "real_memory" -> realMemoryKb = longValue(xml);
        case "rss" -> rssKb = longValue(xml);
        case "swap" -> swapKb = longValue(xml);
        default -> skipElement(xml);
      }
    }
    if (pid < 0) {
      throw malformed(start, "a <process> has no <pid>");
    }
    return new ProcessStatus(
        pid,
        sessions,
        concurrency,
        busyness,
        processed,
        epochMicros(spawnStartTime),
        epochMicros(spawnEndTime),
        epochMicros(lastUsed),
        lifeStatus,
        enabled,
        hasMetrics && cpu >= 0 ? OptionalDouble.of(cpu) : OptionalDouble.empty(),
        kibibytes(hasMetrics, realMemoryKb),
        kibibytes(hasMetrics, rssKb),
        kibibytes(hasMetrics, swapKb));
  }

  private static Optional<Instant> epochMicros(long micros) {
    // 0 is what Passenger reports for a time that has not happened yet (e.g. never used).
    if (micros <= 0) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000));
  }

  private static OptionalLong kibibytes(boolean hasMetrics, long kb) {
    if (!hasMetrics || kb < 0 || kb > Long.MAX_VALUE / KIBIBYTE) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(kb * KIBIBYTE);
  }

  /**
   * Advances to the next child element of the current element.
   *
   * @return {@code true} positioned on the child's start tag, {@code false} on the current
   *     element's end tag
   */
  private static boolean nextChild(XMLStreamReader xml)
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

  private static void skipElement(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
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
  private static String text(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
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

  private static int intValue(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    String element = xml.getLocalName();
    long value = longValue(xml);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw malformed(xml, "<" + element + "> is out of range: " + value);
    }
    return (int) value;
  }

  private static long longValue(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    String element = xml.getLocalName();
    int event = xml.next();
    String text;
    if (event == XMLStreamConstants.CHARACTERS) {
      // Most of a status document is numbers: the common case, one text event and the end tag,
      // is parsed in place without building a String.
      long value = parseLong(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
      String first = value == NOT_A_NUMBER ? xml.getText() : null;
      event = xml.next();
      if (event == XMLStreamConstants.END_ELEMENT && first == null) {
        return value;
      }
      text = (first != null ? first : Long.toString(value)) + collectText(xml, element, event);
    } else {
      text = collectText(xml, element, event);
    }
    long value = parseLong(text.toCharArray(), 0, text.length());
    if (value == NOT_A_NUMBER) {
      throw malformed(xml, "<" + element + "> is not a whole number: \"" + excerpt(text) + "\"");
    }
    return value;
  }

  /** Sentinel for text that is not a whole number; Passenger never writes this value. */
  private static final long NOT_A_NUMBER = Long.MIN_VALUE;

  private static long parseLong(char[] text, int start, int length) {
    int index = start;
    int end = start + length;
    while (index < end && Character.isWhitespace(text[index])) {
      index++;
    }
    while (end > index && Character.isWhitespace(text[end - 1])) {
      end--;
    }
    boolean negative = index < end && text[index] == '-';
    if (negative) {
      index++;
    }
    if (index == end || end - index > 18) {
      return NOT_A_NUMBER;
    }
    long value = 0;
    for (; index < end; index++) {
      char c = text[index];
      if (c < '0' || c > '9') {
        return NOT_A_NUMBER;
      }
      value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
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

  private static PassengerStatusException forbidden(XMLStreamReader xml, String construct) {
    return new PassengerStatusException(
        Reason.FORBIDDEN_CONSTRUCT,
        "the Passenger status contains "
            + construct
            + at(xml.getLocation())
            + ", which is not allowed in untrusted input");
  }

  private static PassengerStatusException malformed(XMLStreamReader xml, String problem) {
    return malformed(xml.getLocation(), problem);
  }

  private static PassengerStatusException malformed(Location location, String problem) {
    return new PassengerStatusException(
        Reason.MALFORMED, "invalid Passenger status" + at(location) + ": " + problem);
  }

  private static String at(Location location) {
    if (location == null || location.getLineNumber() < 0) {
      return "";
    }
    return " at line " + location.getLineNumber() + ", column " + location.getColumnNumber();
  }

  private static String describe(XMLStreamException ex) {
    String message = Objects.requireNonNullElse(ex.getMessage(), ex.toString());
    // The JDK prefixes "ParseError at [row,col]:[l,c]\nMessage: "; the location is reported
    // once, in our own words.
    int index = message.indexOf("Message: ");
    String detail = index >= 0 ? message.substring(index + "Message: ".length()) : message;
    return at(ex.getLocation())
        + " (truncated or not XML?): "
        + UntrustedText.quote(detail.strip());
  }

  private static String excerpt(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return UntrustedText.quote(
        oneLine.length() <= EXCERPT_LENGTH ? oneLine : oneLine.substring(0, EXCERPT_LENGTH) + "…");
  }
}
