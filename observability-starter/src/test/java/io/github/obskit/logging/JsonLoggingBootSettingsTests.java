package io.github.obskit.logging;

import static io.github.obskit.JsonLogLines.awaitEvent;
import static io.github.obskit.JsonLogLines.awaitMessage;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.github.obskit.RestoredSystemProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Boot's file and threshold settings keep working when the starter selects its JSON logging. */
@ExtendWith({RestoredSystemProperties.class, OutputCaptureExtension.class})
class JsonLoggingBootSettingsTests {

  private static final JsonMapper json = JsonMapper.builder().build();

  private final Logger logger = LoggerFactory.getLogger(JsonLoggingBootSettingsTests.class);

  @TempDir private Path logs;

  @Test
  void logFileNameGetsBootsFileFormatWhileStdoutStaysJson(CapturedOutput output) throws Exception {
    Path file = this.logs.resolve("app.log");
    String marker = "file-" + UUID.randomUUID();

    try (ConfigurableApplicationContext context = run("logging.file.name=" + file)) {
      this.logger.info(marker);

      assertThat(awaitMessage(output, marker).get("level").asString()).isEqualTo("INFO");
    }

    assertThat(linesContaining(file, marker))
        .singleElement()
        .satisfies(
            (line) ->
                assertThat(line)
                    .doesNotStartWith("{")
                    .contains(" INFO ")
                    .contains("JsonLoggingBootSettingsTests")
                    .endsWith(marker));
  }

  @Test
  void logFilePathGetsSpringLogInThatDirectory(CapturedOutput output) throws Exception {
    String marker = "path-" + UUID.randomUUID();

    try (ConfigurableApplicationContext context = run("logging.file.path=" + this.logs)) {
      this.logger.info(marker);

      awaitMessage(output, marker);
    }

    assertThat(linesContaining(this.logs.resolve("spring.log"), marker)).hasSize(1);
  }

  @Test
  void structuredFileFormatApplies(CapturedOutput output) throws Exception {
    Path file = this.logs.resolve("app.json");
    String marker = "structured-" + UUID.randomUUID();

    try (ConfigurableApplicationContext context =
        run("logging.file.name=" + file, "logging.structured.format.file=ecs")) {
      this.logger.info(marker);

      awaitMessage(output, marker);
    }

    assertThat(linesContaining(file, marker))
        .singleElement()
        .satisfies(
            (line) -> {
              JsonNode event = json.readTree(line);
              assertThat(event.get("message").asString()).isEqualTo(marker);
              assertThat(event.get("ecs").get("version").asString()).isNotEmpty();
            });
  }

  @Test
  void consoleThresholdApplies(CapturedOutput output) {
    String quiet = "quiet-" + UUID.randomUUID();
    String loud = "loud-" + UUID.randomUUID();

    try (ConfigurableApplicationContext context = run("logging.threshold.console=warn")) {
      this.logger.info(quiet);
      this.logger.warn(loud);

      awaitMessage(output, loud);
    }

    assertThat(output.getOut()).doesNotContain(quiet);
  }

  @Test
  void disabledConsoleLeavesOnlyTheFile(CapturedOutput output) throws Exception {
    Path file = this.logs.resolve("app.log");
    String marker = "file-only-" + UUID.randomUUID();

    try (ConfigurableApplicationContext context =
        run("logging.file.name=" + file, "logging.console.enabled=false")) {
      this.logger.info(marker);
      writeOutQueuedConsoleEvents();
    }

    assertThat(linesContaining(file, marker)).hasSize(1);
    assertThat(output.getOut()).doesNotContain(marker);
  }

  @Test
  void lineAndQueueLimitsComeFromTheStartersProperties(CapturedOutput output) {
    String marker = "long-" + UUID.randomUUID();

    try (ConfigurableApplicationContext context =
        run(
            "observability.logging.max-line-size=1KB",
            "observability.logging.max-queued-size=2MB")) {
      BatchingConsoleAppender appender = consoleAppender();
      assertThat(appender.getMaxLineSize().getSize()).isEqualTo(1024);
      assertThat(appender.getMaxQueuedSize().getSize()).isEqualTo(2 * 1024 * 1024);
      this.logger.info(marker + "x".repeat(5000));

      JsonNode event =
          awaitEvent(output, (line) -> line.path("message").asString().startsWith(marker));
      assertThat(event.get("message").asString()).endsWith("x…");
      assertThat(event.get("truncated").asBoolean()).isTrue();
      assertThat(event.toString().length()).isLessThan(1024);
    }
  }

  @Test
  void lineAndQueueLimitsDefaultTo16KilobytesAnd16Megabytes() {
    try (ConfigurableApplicationContext context = run()) {
      BatchingConsoleAppender appender = consoleAppender();
      assertThat(appender.getMaxLineSize().getSize()).isEqualTo(16 * 1024);
      assertThat(appender.getMaxQueuedSize().getSize()).isEqualTo(16 * 1024 * 1024);
    }
  }

  private static BatchingConsoleAppender consoleAppender() {
    LoggerContext loggerContext = (LoggerContext) LoggerFactory.getILoggerFactory();
    return (BatchingConsoleAppender)
        loggerContext.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("OBSKIT_JSON");
  }

  private ConfigurableApplicationContext run(String... properties) {
    return new SpringApplicationBuilder(EmptyConfiguration.class)
        .web(WebApplicationType.NONE)
        .registerShutdownHook(false)
        .properties(properties)
        .run();
  }

  // Stopping the appender writes out what it still has queued; the next test's logging starts anew.
  private static void writeOutQueuedConsoleEvents() {
    LoggerContext loggerContext = (LoggerContext) LoggerFactory.getILoggerFactory();
    loggerContext.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("OBSKIT_JSON").stop();
  }

  private static List<String> linesContaining(Path file, String text) throws Exception {
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream().filter((line) -> line.contains(text)).toList();
  }

  @Configuration(proxyBeanMethods = false)
  static class EmptyConfiguration {}
}
