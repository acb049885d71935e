package io.github.obskit.autoconfigure.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.util.Duration;
import io.github.obskit.logging.BatchingConsoleAppender;
import io.github.obskit.logging.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class LogPipelineAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(LogPipelineAutoConfiguration.class));

  @Test
  void countsLostEventsByReasonAndCutOnesWithADescriptionAndABaseUnit() {
    this.contextRunner.run(
        (context) -> {
          MeterRegistry registry = new SimpleMeterRegistry();
          context.getBean(LogPipelineMetrics.class).bindTo(registry);
          for (DropReason reason : DropReason.values()) {
            FunctionCounter dropped =
                registry
                    .get("log.dropped.events")
                    .tag("reason", reason.tagValue())
                    .functionCounter();
            assertThat(dropped.getId().getDescription()).contains(reason.tagValue());
            assertThat(dropped.getId().getBaseUnit()).isEqualTo("events");
            // Another test's appender may still drop: wait for the meter to read the same count.
            await().until(() -> dropped.count() == reason.count());
          }
          assertThat(registry.get("log.dropped.events").functionCounters())
              .extracting((counter) -> counter.getId().getTag("reason"))
              .containsExactlyInAnyOrder(
                  "queue_full", "encoding_failed", "too_large", "write_failed", "shutdown");
          FunctionCounter truncated = registry.get("log.truncated.events").functionCounter();
          assertThat(truncated.getId().getDescription()).isNotBlank();
          assertThat(truncated.getId().getBaseUnit()).isEqualTo("events");
          await().until(() -> truncated.count() == BatchingConsoleAppender.getTruncatedEvents());
        });
  }

  @Test
  void isUpWhileNoAppenderIsStalled() {
    this.contextRunner.run(
        (context) ->
            assertThat(
                    context.getBean("logPipelineHealthIndicator", HealthIndicator.class).health())
                .extracting(Health::getStatus)
                .isEqualTo(Status.UP));
  }

  @Test
  void isDownWhileNobodyReadsStdout() throws Exception {
    LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = loggers.getLogger("obskit.test.stalled");
    BatchingConsoleAppender appender = new BatchingConsoleAppender();
    CountDownLatch release = new CountDownLatch(1);
    PrintStream originalOut = System.out;
    System.setOut(
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) {}

              @Override
              public void write(byte[] bytes, int offset, int length) {
                try {
                  release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                  Thread.currentThread().interrupt();
                }
              }
            }));
    try {
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(loggers);
      encoder.setPattern("%msg%n");
      encoder.start();
      appender.setContext(loggers);
      appender.setName("STALLED");
      appender.setEncoder(encoder);
      appender.setFlushInterval(Duration.buildByMilliseconds(1));
      appender.setStallTimeout(Duration.buildByMilliseconds(10));
      appender.start();
      logger.addAppender(appender);
      logger.setAdditive(false);
      logger.info("blocked");

      this.contextRunner.run(
          (context) -> {
            HealthIndicator health =
                context.getBean("logPipelineHealthIndicator", HealthIndicator.class);
            await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> health.health().getStatus().equals(Status.DOWN));
            assertThat(health.health().getDetails().get("stalledAppenders"))
                .asInstanceOf(InstanceOfAssertFactories.map(String.class, String.class))
                .hasEntrySatisfying(
                    "STALLED",
                    (reason) ->
                        assertThat(reason)
                            .contains("with 1 events waiting")
                            .contains("a write to stdout has been blocked for"));
            assertThat(health.health().getDetails())
                .containsKeys("droppedEvents", "truncatedEvents");
            release.countDown();
            await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> health.health().getStatus().equals(Status.UP));
          });
    } finally {
      release.countDown();
      logger.detachAppender(appender);
      appender.stop();
      System.setOut(originalOut);
    }
  }

  @Test
  void backsOffWithoutMicrometerOrHealth() {
    this.contextRunner
        .withClassLoader(
            new FilteredClassLoader(
                io.micrometer.core.instrument.binder.MeterBinder.class, HealthIndicator.class))
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(LogPipelineMetrics.class)
                    .doesNotHaveBean(LogPipelineHealthIndicator.class));
  }

  @Test
  void backsOffWithoutLogback() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(LoggerContext.class))
        .run((context) -> assertThat(context).doesNotHaveBean(LogPipelineHealthIndicator.class));
  }

  @Test
  void userIndicatorWins() {
    this.contextRunner
        .withBean(
            "logPipelineHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
        .run((context) -> assertThat(context).doesNotHaveBean(LogPipelineHealthIndicator.class));
  }
}
