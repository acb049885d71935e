package io.github.obskit.logging;

import static io.github.obskit.JsonLogLines.awaitMessage;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

// Boot initialises logging once per JVM until a context closes: closing this one lets the next test
// class start with the logging configuration its own properties select.
@DirtiesContext
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.NONE,
    properties = {
      "logging.config=classpath:io/github/obskit/logging/app-logback-spring.xml",
      "spring.application.name=obskit-test",
      "observability.metrics.env=test"
    })
@ExtendWith(OutputCaptureExtension.class)
class OwnLogbackConfigurationTests {

  @Test
  void includedFragmentWritesJsonWhileTheApplicationsOwnSettingsApply(CapturedOutput output) {
    String quiet = "quiet-" + UUID.randomUUID();
    String loud = "loud-" + UUID.randomUUID();
    LoggerFactory.getLogger("io.github.obskit.logging.quiet").info(quiet);
    LoggerFactory.getLogger("io.github.obskit.logging.quiet").warn(loud);

    JsonNode event = awaitMessage(output, loud);

    assertThat(event.get("level").asString()).isEqualTo("WARN");
    assertThat(event.get("app").asString()).isEqualTo("obskit-test");
    assertThat(event.get("env").asString()).isEqualTo("test");
    assertThat(event.get("logger_name").asString()).isEqualTo("io.github.obskit.logging.quiet");
    assertThat(output.getOut()).doesNotContain(quiet);
  }
}
