package io.github.obskit.logging;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.github.obskit.Waits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link BatchingConsoleAppender} named "test" in a logger context of its own, and what its tests
 * build on: encoders, events and a stdout nobody reads. An instance {@code RegisterExtension} field
 * of the test class: after each test it stops the appender, waits for its threads to end and gives
 * back the {@code System.out} and {@code System.err} the test found.
 */
final class BatchingConsoleAppenderFixture implements BeforeEachCallback, AfterEachCallback {

  /** The appender's writer and watchdog threads, and the threads that print its reports. */
  private static final Set<String> APPENDER_THREADS =
      Set.of("obskit-log-writer-test", "obskit-log-watchdog-test", "obskit-log-report");

  private final LoggerContext context = new LoggerContext();

  private final BatchingConsoleAppender appender = new BatchingConsoleAppender();

  private PrintStream originalOut;

  private PrintStream originalErr;

  @Override
  public void beforeEach(ExtensionContext extensionContext) {
    this.originalOut = System.out;
    this.originalErr = System.err;
    this.context.setMDCAdapter(new LogbackMDCAdapter());
    this.appender.setContext(this.context);
    this.appender.setName("test");
  }

  @Override
  public void afterEach(ExtensionContext extensionContext) {
    this.appender.stop();
    // A writer that stop() gave up on while the test held it finishes its write once released, and
    // looks System.out up for it: it must not write into the next test's capture.
    await().atMost(Waits.CONDITION).until(BatchingConsoleAppenderFixture::appenderThreadsEnded);
    System.setOut(this.originalOut);
    System.setErr(this.originalErr);
  }

  private static boolean appenderThreadsEnded() {
    return Thread.getAllStackTraces().keySet().stream()
        .noneMatch((thread) -> APPENDER_THREADS.contains(thread.getName()) && thread.isAlive());
  }

  LoggerContext context() {
    return this.context;
  }

  BatchingConsoleAppender appender() {
    return this.appender;
  }

  /** A started encoder that writes each event with the given pattern in UTF-8. */
  PatternLayoutEncoder encoder(String pattern) {
    return start(new PatternLayoutEncoder(), pattern);
  }

  /** Starts the given encoder (a subclass that fails or blocks) as {@link #encoder(String)}. */
  PatternLayoutEncoder start(PatternLayoutEncoder encoder, String pattern) {
    encoder.setContext(this.context);
    encoder.setPattern(pattern);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    return encoder;
  }

  /** A started logstash-logback-encoder, the starter's JSON encoder. */
  LogstashEncoder logstashEncoder() {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(this.context);
    encoder.start();
    return encoder;
  }

  ILoggingEvent event(String message) {
    return event(message, null);
  }

  /** An INFO event of the logger "test". */
  ILoggingEvent event(String message, Throwable throwable) {
    return new LoggingEvent(
        BatchingConsoleAppenderFixture.class.getName(),
        this.context.getLogger("test"),
        Level.INFO,
        message,
        throwable,
        null);
  }

  /** Makes {@code System.out} a {@link BlockingOutputStream}, a stdout nobody reads. */
  BlockingOutputStream stdoutNobodyReads() {
    BlockingOutputStream unread = new BlockingOutputStream();
    System.setOut(new PrintStream(unread, false, StandardCharsets.UTF_8));
    return unread;
  }

  /**
   * A stdout nobody reads until released: every write blocks until then, after the number of writes
   * it was told to let through (none unless told).
   */
  static final class BlockingOutputStream extends ByteArrayOutputStream {

    /** Counted down when the first write arrives. */
    final CountDownLatch writing = new CountDownLatch(1);

    /** Counted down to read: the blocked writes and all after them go through. */
    final CountDownLatch release = new CountDownLatch(1);

    private int unblockedWrites;

    BlockingOutputStream() {
      this(0);
    }

    BlockingOutputStream(int unblockedWrites) {
      this.unblockedWrites = unblockedWrites;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      this.writing.countDown();
      synchronized (this) {
        if (this.unblockedWrites > 0) {
          this.unblockedWrites--;
          super.write(bytes, offset, length);
          return;
        }
      }
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

    synchronized List<String> lines() {
      return toString(StandardCharsets.UTF_8).lines().toList();
    }
  }
}
