package io.github.obskit.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.util.Duration;
import io.github.obskit.logging.BatchingConsoleAppenderFixture.BlockingOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the {@link BatchingConsoleAppender} bounds and counts: bytes of queued events, the length of
 * a line, the size of a write, every event lost, and what counts as a stall.
 */
@Timeout(60)
class BatchingConsoleAppenderBoundsTests {

  private static final JsonMapper json = JsonMapper.builder().build();

  @RegisterExtension
  final BatchingConsoleAppenderFixture fixture = new BatchingConsoleAppenderFixture();

  private final BatchingConsoleAppender appender = this.fixture.appender();

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @BeforeEach
  void writeOftenAndCaptureStderr() {
    this.appender.setFlushInterval(Duration.buildByMilliseconds(1));
    System.setErr(new PrintStream(this.stderr, true, StandardCharsets.UTF_8));
  }

  @Test
  void cutsTheLongestFieldsOfALineOverMaxLineSizeAndMarksIt() throws Exception {
    RecordingOutputStream out = captureStdout();
    this.appender.setEncoder(this.fixture.logstashEncoder());
    this.appender.start();
    long truncatedBefore = BatchingConsoleAppender.getTruncatedEvents();
    IllegalStateException failure = new IllegalStateException("deep");
    failure.setStackTrace(deepStack(2_000));

    this.appender.doAppend(this.fixture.event("ü".repeat(100_000), failure));
    this.appender.doAppend(this.fixture.event("short"));
    this.appender.stop();

    List<String> lines = out.lines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).getBytes(StandardCharsets.UTF_8).length + 1).isLessThanOrEqualTo(16384);
    JsonNode cut = json.readTree(lines.get(0));
    assertThat(cut.path("truncated").asBoolean()).isTrue();
    assertThat(cut.path("message").asString()).startsWith("üüü").endsWith("…");
    assertThat(cut.path("stack_trace").asString())
        .startsWith("java.lang.IllegalStateException: deep")
        .endsWith("…");
    assertThat(cut.path("logger_name").asString()).isEqualTo("test");
    assertThat(json.readTree(lines.get(1)).has("truncated")).isFalse();
    assertThat(BatchingConsoleAppender.getTruncatedEvents() - truncatedBefore).isEqualTo(1);
  }

  @Test
  void boundsTheQueueInBytesAndCountsWhatItDrops() throws Exception {
    BlockingOutputStream unread = this.fixture.stdoutNobodyReads();
    this.appender.setEncoder(this.fixture.logstashEncoder());
    this.appender.setMaxBlockTime(Duration.buildByMilliseconds(50));
    this.appender.start();
    long droppedBefore = BatchingConsoleAppender.getDroppedEvents();
    this.appender.doAppend(this.fixture.event("first"));
    assertThat(unread.writing.await(10, TimeUnit.SECONDS)).isTrue();

    // One string for all: the test's own heap holds it once; the queue's estimate counts each.
    String megabyte = "m".repeat(1_000_000);
    for (int event = 0; event < 100; event++) {
      this.appender.doAppend(this.fixture.event(megabyte));
    }

    // 16 MB hold 16 events of 1 000 256 estimated bytes; the writer holds only the encoded first.
    assertThat(BatchingConsoleAppender.getDroppedEvents() - droppedBefore).isEqualTo(84);
    unread.release.countDown();
    await().atMost(java.time.Duration.ofSeconds(20)).until(() -> unread.lines().size() == 17);
    assertThat(unread.lines())
        .allSatisfy(
            (line) ->
                assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThan(16 * 1024));
  }

  @Test
  void writesInPiecesOfWholeLinesThatAPipeTakesAtOnce() {
    RecordingOutputStream out = captureStdout();
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.setFlushInterval(Duration.buildByHours(1));
    this.appender.start();

    for (int event = 0; event < 100; event++) {
      this.appender.doAppend(this.fixture.event(event + " " + "x".repeat(300)));
    }
    this.appender.doAppend(this.fixture.event("long " + "y".repeat(10_000)));
    this.appender.doAppend(this.fixture.event("after"));
    this.appender.stop();

    assertThat(out.lines()).hasSize(102);
    assertThat(out.writes).hasSizeGreaterThan(1);
    List<byte[]> shortWrites = new ArrayList<>(out.writes);
    shortWrites.removeIf((write) -> new String(write, StandardCharsets.UTF_8).startsWith("long "));
    assertThat(shortWrites)
        .allSatisfy((write) -> assertThat(write.length).isLessThanOrEqualTo(4096))
        .allSatisfy((write) -> assertThat(write[write.length - 1]).isEqualTo((byte) '\n'));
  }

  @Test
  void countsEventsThatCannotBeEncoded() {
    captureStdout();
    PatternLayoutEncoder failing =
        new PatternLayoutEncoder() {
          @Override
          public byte[] encode(ILoggingEvent event) {
            if (event.getMessage().equals("fails")) {
              throw new IllegalStateException("cannot encode");
            }
            return super.encode(event);
          }
        };
    this.appender.setEncoder(this.fixture.start(failing, "%msg%n"));
    this.appender.start();
    long before = DropReason.ENCODING_FAILED.count();
    long droppedBefore = BatchingConsoleAppender.getDroppedEvents();

    this.appender.doAppend(this.fixture.event("fails"));
    this.appender.doAppend(this.fixture.event("fine"));
    this.appender.stop();

    assertThat(DropReason.ENCODING_FAILED.count() - before).isEqualTo(1);
    assertThat(BatchingConsoleAppender.getDroppedEvents() - droppedBefore).isEqualTo(1);
  }

  @Test
  void countsEventsLostToAStdoutThatFails() {
    System.setOut(
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("closed");
              }
            },
            false,
            StandardCharsets.UTF_8));
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.start();
    long droppedBefore = BatchingConsoleAppender.getDroppedEvents();

    this.appender.doAppend(this.fixture.event("lost"));
    this.appender.doAppend(this.fixture.event("lost too"));
    this.appender.stop();

    assertThat(BatchingConsoleAppender.getDroppedEvents() - droppedBefore).isEqualTo(2);
  }

  @Test
  void stopCountsTheEventsInTheWritersHandsAndWritesNoMore() throws Exception {
    BlockingOutputStream unread = this.fixture.stdoutNobodyReads();
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.setMaxFlushTime(Duration.buildByMilliseconds(100));
    this.appender.start();
    this.appender.doAppend(this.fixture.event("in the writer's hands"));
    assertThat(unread.writing.await(10, TimeUnit.SECONDS)).isTrue();
    for (int event = 0; event < 3; event++) {
      this.appender.doAppend(this.fixture.event("queued " + event));
    }
    long droppedBefore = BatchingConsoleAppender.getDroppedEvents();

    this.appender.stop();

    assertThat(BatchingConsoleAppender.getDroppedEvents() - droppedBefore).isEqualTo(4);
    await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> stderr().contains("with 4 log events not written after waiting"));
    unread.release.countDown();
    // Only the write in progress when stop() gave up may still complete: a pipe takes it whole.
    await()
        .during(java.time.Duration.ofMillis(300))
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> unread.lines().size() <= 1);
  }

  @Test
  void aSlowWriteIsNoStall() throws Exception {
    BlockingOutputStream slow = this.fixture.stdoutNobodyReads();
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.start();
    this.appender.doAppend(this.fixture.event("slow"));
    assertThat(slow.writing.await(10, TimeUnit.SECONDS)).isTrue();

    // Five times maxBlockTime in one write, as on a machine too busy to read quickly.
    await()
        .during(java.time.Duration.ofMillis(500))
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> !this.appender.isStalled());
    slow.release.countDown();
    await().until(() -> slow.lines().contains("slow"));
    assertThat(stderr()).isEmpty();
  }

  @Test
  void aWriterThatWritesNothingIsStalledAndSaysWhyOnceOnStderr() throws Exception {
    BlockingOutputStream unread = this.fixture.stdoutNobodyReads();
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.setStallTimeout(Duration.buildByMilliseconds(200));
    this.appender.start();
    this.appender.doAppend(this.fixture.event("blocked"));

    await().atMost(java.time.Duration.ofSeconds(10)).until(this.appender::isStalled);
    assertThat(this.appender.getStallReason())
        .startsWith("no log line written for ")
        .contains("with 1 events waiting: a write to stdout has been blocked for");
    await().atMost(java.time.Duration.ofSeconds(10)).until(() -> stderr().contains("is stalled"));
    // Ten more stall timeouts, still one report.
    await()
        .during(java.time.Duration.ofSeconds(2))
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> stderr().lines().filter((line) -> line.contains("is stalled")).count() == 1);
    assertThat(stderr())
        .contains(
            "obskit: the appender named [test] is stalled, its logPipeline health is DOWN: no log"
                + " line written for ")
        .contains("a write to stdout has been blocked for");
    unread.release.countDown();
    await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !this.appender.isStalled());
    await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> stderr().contains("obskit: the appender named [test] writes again"));
  }

  private String stderr() {
    return this.stderr.toString(StandardCharsets.UTF_8);
  }

  private RecordingOutputStream captureStdout() {
    RecordingOutputStream out = new RecordingOutputStream();
    System.setOut(new PrintStream(out, false, StandardCharsets.UTF_8));
    return out;
  }

  private static StackTraceElement[] deepStack(int frames) {
    StackTraceElement[] stack = new StackTraceElement[frames];
    for (int frame = 0; frame < frames; frame++) {
      stack[frame] =
          new StackTraceElement("com.example.Deep" + frame, "call", "Deep.java", frame + 1);
    }
    return stack;
  }

  /** Records each write that reaches the stream, as each would be one system call. */
  private static final class RecordingOutputStream extends ByteArrayOutputStream {

    private final List<byte[]> writes = new ArrayList<>();

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      this.writes.add(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
      super.write(bytes, offset, length);
    }

    private synchronized List<String> lines() {
      return toString(StandardCharsets.UTF_8).lines().toList();
    }
  }
}
