package io.github.obskit.logging;

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

// Boot initialises logging once per JVM until a context closes: closing this one lets the next test
// class start with the logging configuration its own properties select.
@DirtiesContext
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.NONE,
    properties = {"observability.logging.format=plain", "spring.application.name=obskit-test"})
@ExtendWith(OutputCaptureExtension.class)
class PlainLoggingTests {

  @Test
  void plainFormatKeepsBootsConsolePattern(CapturedOutput output) {
    String marker = "plain-" + UUID.randomUUID();

    LoggerFactory.getLogger(PlainLoggingTests.class).info(marker);

    assertThat(output.getOut().lines().filter((line) -> line.contains(marker)))
        .singleElement()
        .satisfies(
            (line) ->
                assertThat(line)
                    .doesNotStartWith("{")
                    .contains(" INFO ")
                    .contains("PlainLoggingTests")
                    .endsWith(marker));
  }
}
