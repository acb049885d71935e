package io.github.obskit.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.util.Duration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the {@link BatchingConsoleAppender} bounds and counts: bytes of queued events, the length of
 * a line, the size of a write, every event lost, and what counts as a stall.
 */
@Timeout(60)
class BatchingConsoleAppenderBoundsTests {

  private static final JsonMapper json = JsonMapper.builder().build();

  private final LoggerContext context = new LoggerContext();

  private final PrintStream originalOut = System.out;

  private final PrintStream originalErr = System.err;

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private final BatchingConsoleAppender appender = new BatchingConsoleAppender();

  @BeforeEach
  void setUp() {
    this.context.setMDCAdapter(new LogbackMDCAdapter());
    this.appender.setContext(this.context);
    this.appender.setName("test");
    this.appender.setFlushInterval(Duration.buildByMilliseconds(1));
    System.setErr(new PrintStream(this.stderr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    this.appender.stop();
    System.setOut(this.originalOut);
    System.setErr(this.originalErr);
  }

  @Test
  void cutsTheLongestFieldsOfALineOverMaxLineSizeAndMarksIt() throws Exception {
    RecordingOutputStream out = captureStdout();
    this.appender.setEncoder(logstashEncoder());
    this.appender.start();
    long truncatedBefore = BatchingConsoleAppender.getTruncatedEvents();
    IllegalStateException failure = new IllegalStateException("deep");
    failure.setStackTrace(deepStack(2_000));

    this.appender.doAppend(event("ü".repeat(100_000), failure));
    this.appender.doAppend(event("short", null));
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
    BlockingOutputStream unread = new BlockingOutputStream();
    System.setOut(new PrintStream(unread, false, StandardCharsets.UTF_8));
    this.appender.setEncoder(logstashEncoder());
    this.appender.setMaxBlockTime(Duration.buildByMilliseconds(50));
    this.appender.start();
    long droppedBefore = BatchingConsoleAppender.getDroppedEvents();
    this.appender.doAppend(event("first", null));
    assertThat(unread.writing.await(10, TimeUnit.SECONDS)).isTrue();

    // One string for all: the test's own heap holds it once; the queue's estimate counts each.
    String megabyte = "m".repeat(1_000_000);
    for (int event = 0; event < 100; event++) {
      this.appender.doAppend(event(megabyte, null));
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
    this.appender.setEncoder(patternEncoder());
    this.appender.setFlushInterval(Duration.buildByHours(1));
    this.appender.start();

    for (int event = 0; event < 100; event++) {
      this.appender.doAppend(event(event + " " + "x".repeat(300), null));
    }
    this.appender.doAppend(event("long " + "y".repeat(10_000), null));
    this.appender.doAppend(event("after", null));
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
    this.appender.setEncoder(start(failing));
    this.appender.start();
    long before = DropReason.ENCODING_FAILED.count();
    long droppedBefore = BatchingConsoleAppender.getDroppedEvents();

    this.appender.doAppend(event("fails", null));
    this.appender.doAppend(event("fine", null));
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
    this.appender.setEncoder(patternEncoder());
    this.appender.start();
    long droppedBefore = BatchingConsoleAppender.getDroppedEvents();

    this.appender.doAppend(event("lost", null));
    this.appender.doAppend(event("lost too", null));
    this.appender.stop();

    assertThat(BatchingConsoleAppender.getDroppedEvents() - droppedBefore).isEqualTo(2);
  }

  @Test
  void stopCountsTheEventsInTheWritersHandsAndWritesNoMore() throws Exception {
    BlockingOutputStream unread = new BlockingOutputStream();
    System.setOut(new PrintStream(unread, false, StandardCharsets.UTF_8));
    this.appender.setEncoder(patternEncoder());
    this.appender.setMaxFlushTime(Duration.buildByMilliseconds(100));
    this.appender.start();
    this.appender.doAppend(event("in the writer's hands", null));
    assertThat(unread.writing.await(10, TimeUnit.SECONDS)).isTrue();
    for (int event = 0; event < 3; event++) {
      this.appender.doAppend(event("queued " + event, null));
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
    BlockingOutputStream slow = new BlockingOutputStream();
    System.setOut(new PrintStream(slow, false, StandardCharsets.UTF_8));
    this.appender.setEncoder(patternEncoder());
    this.appender.start();
    this.appender.doAppend(event("slow", null));
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
    BlockingOutputStream unread = new BlockingOutputStream();
    System.setOut(new PrintStream(unread, false, StandardCharsets.UTF_8));
    this.appender.setEncoder(patternEncoder());
    this.appender.setStallTimeout(Duration.buildByMilliseconds(200));
    this.appender.start();
    this.appender.doAppend(event("blocked", null));

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

  private Encoder<ILoggingEvent> logstashEncoder() {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(this.context);
    encoder.start();
    return encoder;
  }

  private PatternLayoutEncoder patternEncoder() {
    return start(new PatternLayoutEncoder());
  }

  private PatternLayoutEncoder start(PatternLayoutEncoder encoder) {
    encoder.setContext(this.context);
    encoder.setPattern("%msg%n");
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    return encoder;
  }

  private ILoggingEvent event(String message, Throwable throwable) {
    return new LoggingEvent(
        BatchingConsoleAppenderBoundsTests.class.getName(),
        this.context.getLogger("test"),
        Level.INFO,
        message,
        throwable,
        null);
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

  /** A stdout nobody reads until released: every write blocks until then. */
  private static final class BlockingOutputStream extends ByteArrayOutputStream {

    private final CountDownLatch writing = new CountDownLatch(1);

    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void write(byte[] bytes, int offset, int length) {
      this.writing.countDown();
      boolean interrupted = false;
      while (this.release.getCount() > 0) {
        try {
          this.release.await();
        } catch (InterruptedException ex) {
          // A blocked pipe write ignores interrupts too.
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        super.write(bytes, offset, length);
      }
    }

    private synchronized List<String> lines() {
      return toString(StandardCharsets.UTF_8).lines().toList();
    }
  }
}
