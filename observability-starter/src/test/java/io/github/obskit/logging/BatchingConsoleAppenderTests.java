package io.github.obskit.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.Duration;
import io.github.obskit.Waits;
import io.github.obskit.logging.BatchingConsoleAppenderFixture.BlockingOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import net.logstash.logback.encoder.StreamingEncoder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class BatchingConsoleAppenderTests {

  @RegisterExtension
  final BatchingConsoleAppenderFixture fixture = new BatchingConsoleAppenderFixture();

  private final LoggerContext context = this.fixture.context();

  private final BatchingConsoleAppender appender = this.fixture.appender();

  private final CountingOutputStream written = new CountingOutputStream();

  @BeforeEach
  void captureSystemOut() {
    System.setOut(new PrintStream(this.written, false, StandardCharsets.UTF_8));
  }

  @Test
  void writesEveryEventOnceInOrderPerThreadWhenLoggingThreadsWaitForRoom() throws Exception {
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.setQueueSize(2);
    this.appender.setFlushInterval(Duration.buildByMilliseconds(1));
    // A busy build machine must not turn waiting for room into dropping.
    this.appender.setMaxBlockTime(Duration.buildBySeconds(30));
    this.appender.start();
    int threads = 4;
    int eventsPerThread = 500;

    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int thread = 0; thread < threads; thread++) {
        String prefix = "thread-" + thread + " event ";
        done.add(
            executor.submit(
                () -> {
                  for (int event = 0; event < eventsPerThread; event++) {
                    this.appender.doAppend(this.fixture.event(prefix + event));
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      executor.shutdown();
    }
    this.appender.stop();

    List<String> lines = this.written.lines();
    assertThat(lines).hasSize(threads * eventsPerThread);
    for (int thread = 0; thread < threads; thread++) {
      String prefix = "thread-" + thread + " event ";
      assertThat(lines.stream().filter((line) -> line.startsWith(prefix)))
          .containsExactlyElementsOf(
              IntStream.range(0, eventsPerThread).mapToObj((event) -> prefix + event).toList());
    }
  }

  @Test
  void eventsStillQueuedWhenTheContextStopsCarryItsProperties() {
    this.context.putProperty("app", "queued-at-exit");
    this.appender.setEncoder(this.fixture.logstashEncoder());
    // The writer waits an hour: the event is still queued when the context stops, as at JVM exit.
    this.appender.setFlushInterval(Duration.buildByHours(1));
    this.appender.start();
    this.context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(this.appender);
    this.appender.doAppend(this.fixture.event("first"));
    this.appender.doAppend(this.fixture.event("logged just before exit"));

    this.context.stop();

    assertThat(this.written.lines())
        .hasSize(2)
        .allSatisfy((line) -> assertThat(line).contains("\"app\":\"queued-at-exit\""));
  }

  @Test
  void aFullQueueWakesTheWriterBeforeTheIntervalEnds() throws InterruptedException {
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.setQueueSize(4);
    this.appender.setFlushInterval(Duration.buildByHours(1));
    this.appender.setMaxBlockTime(Duration.buildBySeconds(30));
    this.appender.start();

    // A daemon thread: without the wake-up it would wait an hour, and must not hold up the JVM.
    Thread logging =
        daemon(
            () -> {
              for (int event = 0; event < 100; event++) {
                this.appender.doAppend(this.fixture.event("event " + event));
              }
            });
    logging.join(10_000);

    assertThat(logging.isAlive()).as("logging thread still waiting for room after 10 s").isFalse();
    // The writer may still be writing its last batch: wait for the lines, not for the thread. At
    // most the queue (4) and the event the writer took last wait out the hour.
    await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> this.written.lines().size() >= 100 - 4 - 1);
  }

  @Test
  void writesTheEventsOfOneIntervalInOneWriteAndWhatIsQueuedOnStop() {
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.setFlushInterval(Duration.buildByHours(1));
    this.appender.start();

    for (int event = 0; event < 100; event++) {
      this.appender.doAppend(this.fixture.event("event " + event));
    }
    assertThat(this.written.writes).isZero();
    this.appender.stop();

    assertThat(this.written.writes).isEqualTo(1);
    assertThat(this.written.lines()).hasSize(100).startsWith("event 0").endsWith("event 99");
  }

  @Test
  void takesItsSettingsFromALogbackConfigurationFile() throws Exception {
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(this.context);
    String configuration =
        """
        <configuration>
          <appender name="BATCHING" class="io.github.obskit.logging.BatchingConsoleAppender">
            <queueSize>16</queueSize>
            <flushInterval>1 hour</flushInterval>
            <maxFlushTime>5 seconds</maxFlushTime>
            <encoder><pattern>%level %msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="BATCHING"/></root>
        </configuration>
        """;
    configurator.doConfigure(
        new ByteArrayInputStream(configuration.getBytes(StandardCharsets.UTF_8)));
    Logger logger = this.context.getLogger("configured");

    assertThat(this.context.getStatusManager().getCopyOfStatusList())
        .allSatisfy((status) -> assertThat(status.getLevel()).isEqualTo(Status.INFO));

    logger.info("first");
    logger.warn("second");
    // Twenty times the default interval: only the configured hour keeps the lines back this long.
    await()
        .during(java.time.Duration.ofMillis(400))
        .atMost(java.time.Duration.ofSeconds(2))
        .until(() -> this.written.writes == 0);
    this.context.stop();

    assertThat(this.written.writes).isEqualTo(1);
    assertThat(this.written.lines()).containsExactly("INFO first", "WARN second");
  }

  @Test
  void keepsWritingWhenAnEventCannotBeEncodedEvenWithAnError() {
    PatternLayoutEncoder failing =
        new PatternLayoutEncoder() {
          @Override
          public byte[] encode(ILoggingEvent event) {
            switch (event.getMessage()) {
              case "exception" -> throw new IllegalStateException("cannot encode");
              case "error" -> throw new StackOverflowError("too deep");
              default -> {
                return super.encode(event);
              }
            }
          }
        };
    this.appender.setEncoder(this.fixture.start(failing, "%msg%n"));
    this.appender.setFlushInterval(Duration.buildByMilliseconds(1));
    this.appender.start();
    long droppedBefore = BatchingConsoleAppender.getDroppedEvents();

    this.appender.doAppend(this.fixture.event("before"));
    this.appender.doAppend(this.fixture.event("exception"));
    this.appender.doAppend(this.fixture.event("error"));
    await().until(() -> this.written.lines().contains("before"));
    this.appender.doAppend(this.fixture.event("after"));
    await().until(() -> this.written.lines().contains("after"));
    this.appender.stop();

    assertThat(this.written.lines()).containsExactly("before", "after");
    assertThat(BatchingConsoleAppender.getDroppedEvents() - droppedBefore).isEqualTo(2);
    assertThat(this.context.getStatusManager().getCopyOfStatusList())
        .filteredOn((status) -> status.getMessage().contains("Could not encode"))
        .extracting((status) -> status.getThrowable().getMessage())
        .containsExactly("cannot encode", "too deep");
  }

  @Test
  void streamsIntoTheBatchAndDropsWhatAFailedEventHalfWrote() {
    this.appender.setEncoder(new HalfFailingStreamingEncoder());
    this.appender.setFlushInterval(Duration.buildByHours(1));
    this.appender.start();

    this.appender.doAppend(this.fixture.event("before"));
    this.appender.doAppend(this.fixture.event("half"));
    this.appender.doAppend(this.fixture.event("after"));
    this.appender.stop();

    assertThat(this.written.lines())
        .containsExactly("{\"message\":\"before\"}", "{\"message\":\"after\"}");
    assertThat(this.context.getStatusManager().getCopyOfStatusList())
        .filteredOn((status) -> status.getMessage().contains("Could not encode"))
        .extracting((status) -> status.getThrowable().getMessage())
        .containsExactly("failed half-way");
  }

  @Test
  void dropsAnEventLoggedWhileEncodingRatherThanWaitForItself() throws InterruptedException {
    PatternLayoutEncoder logging =
        new PatternLayoutEncoder() {
          @Override
          public byte[] encode(ILoggingEvent event) {
            if (event.getMessage().startsWith("logs while encoded")) {
              for (int nested = 0; nested < 3; nested++) {
                BatchingConsoleAppenderTests.this.appender.doAppend(
                    BatchingConsoleAppenderTests.this.fixture.event("nested " + nested));
              }
            }
            return super.encode(event);
          }
        };
    this.appender.setEncoder(this.fixture.start(logging, "%msg%n"));
    this.appender.setQueueSize(1);
    this.appender.setFlushInterval(Duration.buildByMilliseconds(1));
    this.appender.start();

    Thread logger = daemon(() -> this.appender.doAppend(this.fixture.event("logs while encoded")));
    logger.join(10_000);
    await().until(() -> this.written.lines().contains("logs while encoded"));
    this.appender.stop();

    assertThat(logger.isAlive()).isFalse();
    assertThat(this.written.lines()).contains("logs while encoded", "nested 0");
    assertThat(this.context.getStatusManager().getCopyOfStatusList())
        .anySatisfy((status) -> assertThat(status.getMessage()).contains("logged while encoding"));
  }

  @Test
  void writesABatchEveryIntervalWithoutBeingStopped() {
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.setFlushInterval(Duration.buildByMilliseconds(200));
    this.appender.start();

    for (int event = 0; event < 10; event++) {
      this.appender.doAppend(this.fixture.event("first " + event));
    }
    // A descheduled test thread may split the ten events over two intervals: wait for the lines.
    await().until(() -> this.written.lines().contains("first 9"));
    for (int event = 0; event < 10; event++) {
      this.appender.doAppend(this.fixture.event("second " + event));
    }
    await().until(() -> this.written.lines().contains("second 9"));

    assertThat(this.written.lines()).hasSize(20).startsWith("first 0").endsWith("second 9");
  }

  @Test
  void stopFromAnInterruptedThreadStillWritesTheQueueAndKeepsTheFlag() {
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.setFlushInterval(Duration.buildByHours(1));
    this.appender.start();
    this.appender.doAppend(this.fixture.event("queued"));

    Thread.currentThread().interrupt();
    this.appender.stop();
    boolean stillInterrupted = Thread.interrupted();

    assertThat(stillInterrupted).isTrue();
    assertThat(this.written.lines()).containsExactly("queued");
  }

  @Test
  void writesAnEventAppendedWhileStopRanRatherThanLoseIt() {
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.start();
    this.appender.doAppend(this.fixture.event("before stop"));

    this.appender.stop();
    // As a logging thread that passed the started check just before stop() does.
    this.appender.append(this.fixture.event("during stop"));

    assertThat(this.written.lines()).containsExactly("before stop", "during stop");
  }

  @Test
  void stopEndsWithinMaxFlushTimeWhenAnEventQueuedDuringTheLastWriteMeetsAStdoutNobodyReads()
      throws Exception {
    PatternLayoutEncoder logging =
        new PatternLayoutEncoder() {
          @Override
          public byte[] encode(ILoggingEvent event) {
            if (event.getMessage().equals("last")) {
              // As a logging thread does while the writer writes its last batch on stop.
              BatchingConsoleAppenderTests.this.appender.append(
                  BatchingConsoleAppenderTests.this.fixture.event("late"));
            }
            return super.encode(event);
          }
        };
    // A stdout read once: the first write goes through, the next ones wait for the release.
    BlockingOutputStream stdout = new BlockingOutputStream(1);
    System.setOut(new PrintStream(stdout, false, StandardCharsets.UTF_8));
    this.appender.setEncoder(this.fixture.start(logging, "%msg%n"));
    this.appender.setFlushInterval(Duration.buildByHours(1));
    this.appender.setMaxFlushTime(Duration.buildByMilliseconds(100));
    this.appender.start();
    this.appender.doAppend(this.fixture.event("last"));

    ExecutorService stopping = Executors.newSingleThreadExecutor();
    try {
      Future<?> stop = stopping.submit(this.appender::stop);
      // Before, stop() wrote "late" itself once the writer had ended, and waited for good.
      await().atMost(Waits.CONDITION).until(stop::isDone);
      stop.get();
      assertThat(stdout.lines()).containsExactly("last");
    } finally {
      stdout.release.countDown();
      stopping.shutdownNow();
    }
    assertThat(this.context.getStatusManager().getCopyOfStatusList())
        .extracting(Status::getMessage)
        .anySatisfy(
            (message) ->
                assertThat(message)
                    .startsWith("Stopped the appender named [test] with 1 log events not written"));
  }

  @Test
  void stopWarnsAboutEventsNotWrittenInMaxFlushTime() throws InterruptedException {
    CountDownLatch encoding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    PatternLayoutEncoder blocking =
        new PatternLayoutEncoder() {
          @Override
          public byte[] encode(ILoggingEvent event) {
            // Stuck like a write to a stalled pipe: deaf to the interrupt of stop().
            if (event.getMessage().equals("stuck")) {
              encoding.countDown();
            }
            while (event.getMessage().equals("stuck") && release.getCount() > 0) {
              try {
                release.await();
              } catch (InterruptedException ex) {
                // still stuck
              }
            }
            return super.encode(event);
          }
        };
    this.appender.setEncoder(this.fixture.start(blocking, "%msg%n"));
    this.appender.setFlushInterval(Duration.buildByMilliseconds(1));
    this.appender.setMaxFlushTime(Duration.buildByMilliseconds(100));
    this.appender.start();
    this.appender.doAppend(this.fixture.event("stuck"));
    this.appender.doAppend(this.fixture.event("waiting"));
    assertThat(encoding.await(10, TimeUnit.SECONDS)).isTrue();

    try {
      this.appender.stop();
    } finally {
      release.countDown();
    }

    // The event being encoded counts too: it never reaches stdout.
    assertThat(this.context.getStatusManager().getCopyOfStatusList())
        .anySatisfy(
            (status) ->
                assertThat(status.getMessage())
                    .contains("with 2 log events not written after waiting 100 milliseconds"));
  }

  @Test
  void anInterruptedThreadWaitsForRoomAndKeepsItsInterruptFlag() throws InterruptedException {
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.setQueueSize(1);
    this.appender.setFlushInterval(Duration.buildByHours(1));
    this.appender.setMaxBlockTime(Duration.buildBySeconds(30));
    this.appender.start();
    AtomicBoolean stillInterrupted = new AtomicBoolean();

    Thread logger =
        daemon(
            () -> {
              for (int event = 0; event < 5; event++) {
                Thread.currentThread().interrupt();
                this.appender.doAppend(this.fixture.event("while interrupted " + event));
              }
              stillInterrupted.set(Thread.interrupted());
            });
    logger.join(10_000);
    this.appender.stop();

    assertThat(logger.isAlive()).isFalse();
    assertThat(stillInterrupted).isTrue();
    assertThat(this.written.lines()).hasSize(5).endsWith("while interrupted 4");
  }

  @Test
  void takesTheCallerDataOnTheLoggingThreadWhenAsked() {
    this.appender.setEncoder(this.fixture.encoder("%msg %method%n"));
    this.appender.setIncludeCallerData(true);
    this.appender.setFlushInterval(Duration.buildByHours(1));
    this.appender.start();

    Logger logger = this.context.getLogger("caller");
    logger.addAppender(this.appender);
    logger.info("from");
    this.appender.stop();

    assertThat(this.written.lines())
        .containsExactly("from takesTheCallerDataOnTheLoggingThreadWhenAsked");
  }

  @Test
  void defaultsAreTheOnesTheReadmeStates() {
    BatchingConsoleAppender defaults = new BatchingConsoleAppender();

    assertThat(defaults.getQueueSize()).isEqualTo(8192);
    assertThat(defaults.getFlushInterval().getMilliseconds()).isEqualTo(20);
    assertThat(defaults.getMaxFlushTime().getMilliseconds()).isEqualTo(1000);
    assertThat(defaults.getMaxBlockTime().getMilliseconds()).isEqualTo(100);
    assertThat(defaults.getMaxQueuedSize().getSize()).isEqualTo(16L * 1024 * 1024);
    assertThat(defaults.getMaxLineSize().getSize()).isEqualTo(16L * 1024);
    assertThat(defaults.getStallTimeout().getMilliseconds()).isEqualTo(10_000);
  }

  @Test
  void dropsAndCountsEventsRatherThanHangWhenNobodyReadsStdout() throws InterruptedException {
    BlockingOutputStream unread = this.fixture.stdoutNobodyReads();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      this.appender.setEncoder(this.fixture.encoder("%msg%n"));
      this.appender.setQueueSize(4);
      this.appender.setFlushInterval(Duration.buildByMilliseconds(1));
      this.appender.setMaxBlockTime(Duration.buildByMilliseconds(50));
      this.appender.setStallTimeout(Duration.buildByMilliseconds(50));
      this.appender.start();
      long droppedBefore = DropReason.QUEUE_FULL.count();

      this.appender.doAppend(this.fixture.event("first"));
      assertThat(unread.writing.await(10, TimeUnit.SECONDS)).isTrue();
      // A write blocked for longer than stallTimeout is a stall before anything is dropped.
      await().atMost(java.time.Duration.ofSeconds(10)).until(this.appender::isStalled);
      assertThat(DropReason.QUEUE_FULL.count()).isEqualTo(droppedBefore);

      Thread logging =
          daemon(
              () -> {
                for (int event = 0; event < 1000; event++) {
                  this.appender.doAppend(this.fixture.event("event " + event));
                }
              });
      logging.join(20_000);

      assertThat(logging.isAlive()).as("a logging thread hangs on a blocked stdout").isFalse();
      // The queue holds 4 and the writer 1 of the 1 001 events; the rest were dropped.
      assertThat(DropReason.QUEUE_FULL.count() - droppedBefore).isEqualTo(996);
      assertThat(this.appender.isStalled()).isTrue();
      await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> stderr.toString(StandardCharsets.UTF_8).contains("has not been read"));

      unread.release.countDown();

      await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !this.appender.isStalled());
      await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () ->
                  stderr.toString(StandardCharsets.UTF_8).contains("read again")
                      && stderr.toString(StandardCharsets.UTF_8).contains("writes again"));
      // Each report from a thread of its own: in any order.
      assertThat(stderr.toString(StandardCharsets.UTF_8).lines())
          .hasSize(4)
          .contains(
              "obskit: stdout has not been read for 50 milliseconds; dropping log events of the"
                  + " appender named [test] until it is (counted in"
                  + " log_dropped_events_total{reason=\"queue_full\"})",
              "obskit: stdout is read again; the appender named [test] dropped 996 log events"
                  + " meanwhile")
          .anySatisfy(
              (line) ->
                  assertThat(line)
                      .startsWith(
                          "obskit: the appender named [test] is stalled, its logPipeline health is"
                              + " DOWN: no log line written for "))
          .anySatisfy(
              (line) ->
                  assertThat(line)
                      .startsWith("obskit: the appender named [test] writes again, after a stall"));
      this.appender.stop();
      assertThat(unread.toString(StandardCharsets.UTF_8).lines())
          .containsExactly("first", "event 0", "event 1", "event 2", "event 3");
    } finally {
      System.setErr(originalErr);
    }
  }

  @Test
  void doesNotStartWithoutAnEncoder() {
    this.appender.start();

    assertThat(this.appender.isStarted()).isFalse();
    assertThat(this.context.getStatusManager().getCopyOfStatusList())
        .anySatisfy((status) -> assertThat(status.getMessage()).contains("No encoder"));
  }

  @Test
  void doesNotStartWithAQueueWithoutRoom() {
    this.appender.setEncoder(this.fixture.encoder("%msg%n"));
    this.appender.setQueueSize(0);

    this.appender.start();

    assertThat(this.appender.isStarted()).isFalse();
    assertThat(this.context.getStatusManager().getCopyOfStatusList())
        .anySatisfy((status) -> assertThat(status.getMessage()).contains("Invalid queue size [0]"));
  }

  private static Thread daemon(Runnable logging) {
    Thread thread = new Thread(logging);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Streams each event as logstash-logback-encoder does, and fails half-way through the event
   * "half"; its byte-array form must not be used.
   */
  private static final class HalfFailingStreamingEncoder extends EncoderBase<ILoggingEvent>
      implements StreamingEncoder<ILoggingEvent> {

    @Override
    public void encode(ILoggingEvent event, OutputStream out) throws IOException {
      out.write(("{\"message\":\"" + event.getMessage()).getBytes(StandardCharsets.UTF_8));
      if (event.getMessage().equals("half")) {
        throw new IOException("failed half-way");
      }
      out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
      throw new UnsupportedOperationException("a streaming encoder is given the batch to write to");
    }

    @Override
    public byte[] headerBytes() {
      return null;
    }

    @Override
    public byte[] footerBytes() {
      return null;
    }
  }

  /** Counts the writes that reach the stream, as each would be one system call on a file. */
  /**
   * System.out while a test runs, keeping only what this class's appenders write: their writer
   * threads, or the test's thread when it stops them. Other threads of the test JVM may write too
   * (the appender of the Spring application tests' logging system, still running for their cached
   * contexts), and must not count as this test's writes.
   */
  private static final class CountingOutputStream extends ByteArrayOutputStream {

    private static final Set<String> WRITER_THREADS =
        Set.of("obskit-log-writer-test", "obskit-log-writer-BATCHING");

    private final Thread testThread = Thread.currentThread();

    private volatile int writes;

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      Thread writer = Thread.currentThread();
      if (writer != this.testThread && !WRITER_THREADS.contains(writer.getName())) {
        return;
      }
      this.writes++;
      super.write(bytes, offset, length);
    }

    private List<String> lines() {
      return toString(StandardCharsets.UTF_8).lines().toList();
    }
  }
}
