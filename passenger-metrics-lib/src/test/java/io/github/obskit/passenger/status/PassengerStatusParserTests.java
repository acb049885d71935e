package io.github.obskit.passenger.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassengerStatusParserTests {

  static final String PASSENGER_5 = "stuartnelson3_passenger_exporter_passenger_5.0.26.xml";

  static final String PASSENGER_6 = "ibotta_passenger_datadog_monitor_passenger_6.1.2.xml";

  static final String PASSENGER_6_CORE_API = "debian_passenger_6.0.17_standalone.xml";

  private final PassengerStatusParser parser = new PassengerStatusParser();

  @Test
  void parsesPassenger5CaptureWithTheIso8859HeaderSpelling() throws Exception {
    assertThat(fixtureText(PASSENGER_5)).startsWith("<?xml version=\"1.0\" encoding=\"iso8859-1\"");

    PassengerStatus status = parseFixture(PASSENGER_5);

    assertThat(status.passengerVersion()).isEqualTo("5.0.26");
    assertThat(status.groupCount()).isEqualTo(1);
    assertThat(status.processCount()).isEqualTo(48);
    assertThat(status.poolMax()).hasValue(48);
    assertThat(status.capacityUsed()).isEqualTo(48);
    assertThat(status.waitListSize()).isEqualTo(3);
    assertThat(status.supergroups()).hasSize(1);
    SupergroupStatus app = status.supergroups().get(0);
    assertThat(app.name()).isEqualTo("/srv/app/my_app (production)");
    assertThat(app.state()).isEqualTo("READY");
    assertThat(app.capacityUsed()).isEqualTo(48);
    assertThat(app.processes()).hasSize(48);
    assertThat(app.processes().stream().mapToLong(ProcessStatus::processed).sum())
        .isEqualTo(529_920);
    assertThat(app.processes().stream().mapToLong(p -> p.realMemoryBytes().orElseThrow()).sum())
        .isEqualTo(13_171_720L * 1024);
    assertThat(app.processes().stream().mapToInt(ProcessStatus::sessions).sum()).isEqualTo(10);
  }

  @Test
  void readsEveryFieldOfOneProcessWithUnitsConverted() throws Exception {
    ProcessStatus first = parseFixture(PASSENGER_5).supergroups().get(0).processes().get(0);

    assertThat(first.pid()).isEqualTo(1402);
    assertThat(first.sessions()).isEqualTo(1);
    assertThat(first.concurrency()).isEqualTo(1);
    assertThat(first.busyness()).isEqualTo(Integer.MAX_VALUE);
    assertThat(first.processed()).isEqualTo(43_578);
    assertThat(first.spawnStartTime()).contains(Instant.parse("2016-05-05T19:47:01.746427Z"));
    assertThat(first.spawnEndTime()).contains(Instant.parse("2016-05-05T19:47:11.572024Z"));
    assertThat(first.lastUsed()).contains(Instant.parse("2016-05-05T20:22:05.218338Z"));
    assertThat(first.lifeStatus()).isEqualTo("ALIVE");
    assertThat(first.enabled()).isEqualTo("ENABLED");
    assertThat(first.cpuPercent()).isEqualTo(OptionalDouble.of(50));
    assertThat(first.rssBytes()).isEqualTo(OptionalLong.of(337_080L * 1024));
    assertThat(first.realMemoryBytes()).isEqualTo(OptionalLong.of(330_012L * 1024));
    assertThat(first.swapBytes()).isEqualTo(OptionalLong.of(0));
  }

  @Test
  void readsTheGroupFromItsOwnElementsNotFromTheUnixGroupOrTheOptions() throws Exception {
    GroupStatus group = parseFixture(PASSENGER_5).supergroups().get(0).groups().get(0);

    // The fixture's group also has <group>daemon</group> and <options><app_root>…
    assertThat(group.name()).isEqualTo("/srv/app/my_app (production)");
    assertThat(group.appRoot()).isEqualTo("/src/app/my_app");
    assertThat(group.appType()).isEqualTo("rack");
    assertThat(group.environment()).isEqualTo("production");
    assertThat(group.lifeStatus()).isEqualTo("ALIVE");
    assertThat(group.enabledProcessCount()).isEqualTo(48);
    assertThat(group.processesBeingSpawned()).isZero();
    assertThat(group.capacityUsed()).isEqualTo(48);
  }

  @Test
  void takesTheApplicationQueueFromTheGroupLevel() throws Exception {
    // This capture was hand-edited to say 5 at the supergroup level, where Passenger >= 5.0.10
    // always writes 0; its group says 0.
    assertThat(fixtureText(PASSENGER_5)).contains("<get_wait_list_size>5</get_wait_list_size>");

    SupergroupStatus app = parseFixture(PASSENGER_5).supergroups().get(0);

    assertThat(app.waitListSize()).isZero();

    String queued =
        minimalStatus(
            "<supergroup><name>app</name><get_wait_list_size>0</get_wait_list_size>"
                + group("app", 4, "")
                + "</supergroup>");
    assertThat(parser.parse(queued).supergroups().get(0).waitListSize()).isEqualTo(4);
  }

  @Test
  void parsesPassenger6CaptureWithTheIsoDash8859HeaderSpelling() throws Exception {
    assertThat(fixtureText(PASSENGER_6))
        .startsWith("<?xml version=\"1.0\" encoding=\"iso-8859-1\"");

    PassengerStatus status = parseFixture(PASSENGER_6);

    assertThat(status.passengerVersion()).isEqualTo("6.1.2");
    assertThat(status.processCount()).isEqualTo(3);
    assertThat(status.poolMax()).hasValue(3);
    assertThat(status.capacityUsed()).isEqualTo(3);
    assertThat(status.waitListSize()).isZero();
    SupergroupStatus app = status.supergroups().get(0);
    assertThat(app.name()).isEqualTo("/home/acme/application (staging)");
    assertThat(app.groups().get(0).environment()).isEqualTo("staging");
    assertThat(app.groups().get(0).appType()).isEqualTo("ruby");
    assertThat(app.processes())
        .extracting(ProcessStatus::pid)
        .containsExactly(12529L, 14552L, 16579L);
    ProcessStatus last = app.processes().get(2);
    assertThat(last.cpuPercent()).isEqualTo(OptionalDouble.of(1));
    assertThat(last.realMemoryBytes()).isEqualTo(OptionalLong.of(429_344L * 1024));
    assertThat(last.rssBytes()).isEqualTo(OptionalLong.of(453_888L * 1024));
    assertThat(last.spawnEndTime()).contains(Instant.parse("2026-03-17T03:16:37.218231Z"));
    assertThat(app.processes().get(0).processed()).isEqualTo(1854);
  }

  @Test
  void parsesTheUnindentedAnswerOfARealCoreApi() throws Exception {
    PassengerStatus status = parseFixture(PASSENGER_6_CORE_API);

    assertThat(status.passengerVersion()).isEqualTo("6.0.17");
    assertThat(status.processCount()).isEqualTo(2);
    assertThat(status.poolMax()).hasValue(6);
    SupergroupStatus app = status.supergroups().get(0);
    assertThat(app.name()).isEqualTo("/tmp/lp/app");
    assertThat(app.processes()).extracting(ProcessStatus::pid).containsExactly(5755L, 5774L);
    ProcessStatus first = app.processes().get(0);
    assertThat(first.processed()).isEqualTo(2);
    assertThat(first.realMemoryBytes()).isEqualTo(OptionalLong.of(2_752L * 1024));
    assertThat(first.rssBytes()).isEqualTo(OptionalLong.of(15_564L * 1024));
    assertThat(first.cpuPercent()).isEqualTo(OptionalDouble.of(0));
    assertThat(first.spawnEndTime()).contains(Instant.parse("2026-11-25T09:19:15.237807Z"));
  }

  @Test
  void parsesTheSameDocumentFromAString() throws Exception {
    assertThat(parser.parse(fixtureText(PASSENGER_6))).isEqualTo(parseFixture(PASSENGER_6));
  }

  @Test
  void decodesByteEscapedNonAsciiApplicationNames() throws Exception {
    PassengerStatus status = parseFixture("non_ascii_app_name.xml");

    SupergroupStatus app = status.supergroups().get(0);
    assertThat(app.name()).isEqualTo("/srv/café (production)");
    assertThat(app.groups().get(0).appRoot()).isEqualTo("/srv/café");
  }

  @Test
  void decodesRawUtf8BytesAndKeepsGenuineLatin1() throws Exception {
    byte[] raw =
        minimalStatus(
                "<supergroup><name>/srv/caf\u00c3\u00a9</name>"
                    + group("g", 0, "")
                    + "</supergroup>")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(parser.parse(new ByteArrayInputStream(raw)).supergroups().get(0).name())
        .isEqualTo("/srv/café");

    String latin1 =
        minimalStatus(
            "<supergroup><name>/srv/caf&#233;</name>" + group("g", 0, "") + "</supergroup>");
    assertThat(parser.parse(latin1).supergroups().get(0).name()).isEqualTo("/srv/café");
  }

  @Test
  void treatsMinusOneAndMissingMetricsAsUnknownRatherThanZero() throws Exception {
    String unknown =
        "<process><pid>7</pid><has_metrics>true</has_metrics><cpu>-1</cpu>"
            + "<real_memory>-1</real_memory><rss>-1</rss><last_used>0</last_used></process>";
    String withoutMetrics =
        "<process><pid>8</pid><cpu>3</cpu><real_memory>100</real_memory></process>";

    List<ProcessStatus> processes =
        parser
            .parse(
                minimalStatus(
                    "<supergroup><name>a</name>"
                        + group("a", 0, unknown + withoutMetrics)
                        + "</supergroup>"))
            .supergroups()
            .get(0)
            .processes();

    assertThat(processes).hasSize(2);
    for (ProcessStatus process : processes) {
      assertThat(process.cpuPercent()).isEmpty();
      assertThat(process.realMemoryBytes()).isEmpty();
      assertThat(process.rssBytes()).isEmpty();
      assertThat(process.swapBytes()).isEmpty();
      assertThat(process.lastUsed()).isEqualTo(Optional.empty());
      assertThat(process.spawnEndTime()).isEmpty();
    }
  }

  @Test
  void ignoresProcessesAndGroupsNestedAnywhereButTheirOwnPath() throws Exception {
    String decoys =
        "<user>u</user><group>unixgroup</group>"
            + "<options><group>optgroup</group><user>optuser</user><name>optname</name>"
            + "<processes><process><pid>999</pid></process></processes></options>";
    String document =
        minimalStatus(
            "<supergroup><name>real</name>"
                + "<group default=\"true\">"
                + decoys
                + "<name>real-group</name><get_wait_list_size>2</get_wait_list_size>"
                + "<processes><process><pid>1</pid></process></processes>"
                + "</group></supergroup>");

    SupergroupStatus app = parser.parse(document).supergroups().get(0);

    assertThat(app.groups()).singleElement().extracting(GroupStatus::name).isEqualTo("real-group");
    assertThat(app.processes()).extracting(ProcessStatus::pid).containsExactly(1L);
    assertThat(app.waitListSize()).isEqualTo(2);
  }

  @Test
  void parsesPassenger4FormatWithSeveralGroupsPerSupergroup() throws Exception {
    String passenger4 =
        """
        <?xml version="1.0" encoding="iso8859-1"?>
        <info version="2">
          <process_count>3</process_count>
          <max>20</max>
          <utilization>3</utilization>
          <get_wait_list_size>1</get_wait_list_size>
          <get_wait_list/>
          <supergroups>
            <supergroup>
              <name>/srv/app</name>
              <state>READY</state>
              <get_wait_list_size>0</get_wait_list_size>
              <utilization>3</utilization>
              %s
              %s
            </supergroup>
          </supergroups>
        </info>
        """
            .formatted(
                group(
                    "/srv/app#default",
                    2,
                    "<process><pid>1</pid></process><process><pid>2</pid></process>"),
                group("/srv/app#worker", 5, "<process><pid>3</pid></process>"));

    PassengerStatus status =
        parser.parse(new ByteArrayInputStream(StatusDocuments.bytes(passenger4)));

    assertThat(status.passengerVersion()).isEqualTo(PassengerStatus.UNKNOWN_VERSION);
    assertThat(status.groupCount()).isEqualTo(2);
    assertThat(status.capacityUsed()).isEqualTo(3);
    SupergroupStatus app = status.supergroups().get(0);
    assertThat(app.capacityUsed()).isEqualTo(3);
    assertThat(app.waitListSize()).isEqualTo(7);
    assertThat(app.processes()).extracting(ProcessStatus::pid).containsExactly(1L, 2L, 3L);
  }

  @Test
  void rejectsPassenger3FormatWithoutVersion() {
    PassengerStatusException error = failure("<?xml version=\"1.0\"?><info><groups/></info>");

    assertThat(error.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(error.getMessage()).contains("unsupported status format").contains("version 2");
  }

  @Test
  void answersNotServingAnyApplicationsWithAnEmptyStatus() throws Exception {
    PassengerStatus status =
        parser.parse("Phusion Passenger(R) is currently not serving any applications.\n");

    assertThat(status.supergroups()).isEmpty();
    assertThat(status.processCount()).isZero();
    assertThat(status.poolMax()).isEmpty();
    assertThat(status.passengerVersion()).isEqualTo(PassengerStatus.UNKNOWN_VERSION);
  }

  @Test
  void rejectsAnExternalEntityWithoutReadingTheFile(@TempDir Path directory) throws Exception {
    Path secret = Files.writeString(directory.resolve("secret.txt"), "TOP-SECRET-VALUE");
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE info [<!ENTITY x SYSTEM \""
            + secret.toUri()
            + "\">]><info version=\"3\"><passenger_version>&x;</passenger_version></info>";

    PassengerStatusException error = failure(xxe);

    assertThat(error.reason()).isEqualTo(Reason.FORBIDDEN_CONSTRUCT);
    assertThat(error.getMessage()).contains("DOCTYPE").doesNotContain("TOP-SECRET-VALUE");
  }

  @Test
  void rejectsBillionLaughs() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE info [<!ENTITY lol0 \"lol\">");
    for (int i = 1; i < 10; i++) {
      dtd.append("<!ENTITY lol%d \"%s\">".formatted(i, ("&lol" + (i - 1) + ";").repeat(10)));
    }
    String laughs = "<?xml version=\"1.0\"?>" + dtd + "]><info version=\"3\">&lol9;</info>";

    PassengerStatusException error =
        catchThrowableOfType(
            PassengerStatusException.class,
            () -> parser.parse(new ByteArrayInputStream(StatusDocuments.bytes(laughs))));

    assertThat(error.reason()).isEqualTo(Reason.FORBIDDEN_CONSTRUCT);
  }

  @Test
  void rejectsTruncatedXml() throws Exception {
    String full = fixtureText(PASSENGER_6);
    String truncated = full.substring(0, full.length() / 2);

    PassengerStatusException error = failure(truncated);

    assertThat(error.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(error.getMessage()).contains("not well-formed XML").contains("line");
  }

  @Test
  void rejectsTextThatIsNotXmlAndQuotesIt() {
    PassengerStatusException error =
        failure("ERROR: Phusion Passenger doesn't seem to be running.\nmore text");

    assertThat(error.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(error.getMessage())
        .contains("not an XML document")
        .contains("ERROR: Phusion Passenger doesn't seem to be running.")
        .doesNotContain("more text");
  }

  @Test
  void quotesABinaryDocumentWithItsControlCharactersEscaped() {
    PassengerStatusException error = failure("\u0001\u0000ELF\u001b[2J\u0007 binary");

    assertThat(error.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(error.getMessage())
        .contains("\\u0001\\u0000ELF\\u001b[2J\\u0007 binary")
        .doesNotContain("\u0000", "\u0001", "\u001b", "\u0007");
  }

  @Test
  void rejectsAnEmptyAnswer() {
    assertThat(failure("").reason()).isEqualTo(Reason.EMPTY);
    assertThat(failure(" \n\t").reason()).isEqualTo(Reason.EMPTY);
    PassengerStatusException fromStream =
        catchThrowableOfType(
            PassengerStatusException.class,
            () -> parser.parse(new ByteArrayInputStream(new byte[0])));
    assertThat(fromStream.reason()).isEqualTo(Reason.EMPTY);
    assertThat(fromStream.getMessage()).contains("empty");
  }

  @Test
  void rejectsAWrongRootElement() {
    PassengerStatusException error = failure("<html><body>502 Bad Gateway</body></html>");

    assertThat(error.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(error.getMessage()).contains("<html>").contains("passenger-status --show=xml");
  }

  @Test
  void rejectsNonNumericValuesNamingTheElement() {
    PassengerStatusException error =
        failure(
            minimalStatus(
                "<supergroup><name>a</name>"
                    + group("a", 0, "<process><pid>x1</pid></process>")
                    + "</supergroup>"));

    assertThat(error.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(error.getMessage()).contains("<pid>").contains("x1");
  }

  @Test
  void readsNumbersSplitByCharacterReferencesAndRejectsEmptyOnes() throws Exception {
    String split =
        minimalStatus(
            "<supergroup><name>a</name>"
                + group("a", 0, "<process><pid> 1&#50;3 </pid></process>")
                + "</supergroup>");
    assertThat(parser.parse(split).supergroups().get(0).processes().get(0).pid()).isEqualTo(123);

    PassengerStatusException empty =
        failure(
            minimalStatus(
                "<supergroup><name>a</name>"
                    + group("a", 0, "<process><pid></pid></process>")
                    + "</supergroup>"));
    assertThat(empty.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(empty.getMessage()).contains("<pid> is not a whole number");
  }

  @Test
  void rejectsTwoProcessesWithOnePidNamingBoth() {
    PassengerStatusException error =
        failure(
            minimalStatus(
                "<supergroup><name>a</name>"
                    + group("a", 0, "<process><pid>7</pid></process>")
                    + "</supergroup><supergroup><name>b</name>"
                    + group("b", 0, "<process><pid>7</pid></process>")
                    + "</supergroup>"));

    assertThat(error.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(error.getMessage()).contains("pid 7 is reported twice (in a and b)");
  }

  @Test
  void rejectsAProcessWithPidZero() {
    PassengerStatusException error =
        failure(
            minimalStatus(
                "<supergroup><name>a</name>"
                    + group("a", 0, "<process><pid>0</pid></process>")
                    + "</supergroup>"));

    assertThat(error.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(error.getMessage()).contains("<process> has pid 0");
  }

  @Test
  void rejectsAProcessWithoutPid() {
    PassengerStatusException error =
        failure(
            minimalStatus(
                "<supergroup><name>a</name>"
                    + group("a", 0, "<process><sessions>1</sessions></process>")
                    + "</supergroup>"));

    assertThat(error.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(error.getMessage()).contains("<process> has no <pid>");
  }

  @Test
  void stopsReadingA50MegabyteDocumentAtTheSizeLimit() {
    CountingInputStream input = new CountingInputStream(StatusDocuments.largeStatus(50_000_000));

    PassengerStatusException error =
        catchThrowableOfType(PassengerStatusException.class, () -> parser.parse(input));

    assertThat(error.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(error.getMessage()).contains(Long.toString(PassengerStatusParser.DEFAULT_MAX_BYTES));
    // Enforced while streaming: reading stopped within a buffer of the limit.
    assertThat(input.count)
        .isBetween(
            PassengerStatusParser.DEFAULT_MAX_BYTES,
            PassengerStatusParser.DEFAULT_MAX_BYTES + 65_536);
  }

  @Test
  void parsesA50MegabyteDocumentWhenTheLimitAllowsIt() throws Exception {
    PassengerStatusParser generous = new PassengerStatusParser(64L * 1024 * 1024);
    CountingInputStream input = new CountingInputStream(StatusDocuments.largeStatus(50_000_000));

    PassengerStatus status = generous.parse(input);

    assertThat(input.count).isGreaterThan(50_000_000);
    int processes = status.supergroups().get(0).processes().size();
    assertThat(processes).isGreaterThan(30_000);
    assertThat(status.supergroups().get(0).processes().get(processes - 1).pid())
        .isEqualTo(processes - 1 + 100L);
  }

  @Test
  void rejectsAStringLongerThanTheLimit() {
    PassengerStatusParser small = new PassengerStatusParser(100);

    PassengerStatusException error =
        catchThrowableOfType(
            PassengerStatusException.class,
            () -> small.parse("<info version=\"3\">" + " ".repeat(100) + "</info>"));

    assertThat(error.reason()).isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void refusesANonPositiveLimit() {
    assertThatIllegalArgumentException().isThrownBy(() -> new PassengerStatusParser(0));
  }

  private PassengerStatusException failure(String document) {
    PassengerStatusException error =
        catchThrowableOfType(PassengerStatusException.class, () -> parser.parse(document));
    assertThat(error).as("parse error for %s", document).isNotNull();
    return error;
  }

  private PassengerStatus parseFixture(String name) throws PassengerStatusException, IOException {
    try (InputStream input = fixture(name)) {
      return parser.parse(input);
    }
  }

  static InputStream fixture(String name) {
    InputStream input = PassengerStatusParserTests.class.getResourceAsStream("/fixtures/" + name);
    if (input == null) {
      throw new IllegalStateException("missing fixture " + name);
    }
    return input;
  }

  static String fixtureText(String name) {
    try (InputStream input = fixture(name)) {
      return new String(input.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static String minimalStatus(String supergroups) {
    return "<?xml version=\"1.0\" encoding=\"iso-8859-1\" ?><info version=\"3\">"
        + "<passenger_version>6.1.2</passenger_version><supergroups>"
        + supergroups
        + "</supergroups></info>";
  }

  private static String group(String name, int waitListSize, String processes) {
    return "<group default=\"true\"><name>"
        + name
        + "</name><get_wait_list_size>"
        + waitListSize
        + "</get_wait_list_size><processes>"
        + processes
        + "</processes></group>";
  }

  private static final class CountingInputStream extends FilterInputStream {

    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int value = super.read();
      count += value < 0 ? 0 : 1;
      return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = super.read(buffer, offset, length);
      count += Math.max(read, 0);
      return read;
    }
  }
}
