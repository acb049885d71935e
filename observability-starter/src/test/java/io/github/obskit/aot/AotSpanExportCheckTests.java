package io.github.obskit.aot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.commons.logging.impl.SimpleLog;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

class AotSpanExportCheckTests {

  private static final String ENDPOINT = "http://alloy:4318/v1/traces";

  private final List<String> warnings = new ArrayList<>();

  @Test
  void warnsWhenAnAotProcessedApplicationHasAnEndpointButNoSpanExporter() {
    start(true, new MockEnvironment().withProperty(AotSpanExportCheck.ENDPOINT, ENDPOINT), false);

    assertThat(this.warnings)
        .singleElement(STRING)
        .startsWith("Spans are not exported although " + AotSpanExportCheck.ENDPOINT)
        .contains(ENDPOINT, "process-aot", "run process-aot with the endpoint set");
  }

  @Test
  void saysNothingWithASpanExporter() {
    start(true, new MockEnvironment().withProperty(AotSpanExportCheck.ENDPOINT, ENDPOINT), true);

    assertThat(this.warnings).isEmpty();
  }

  @Test
  void saysNothingWithoutAnEndpoint() {
    start(true, new MockEnvironment(), false);

    assertThat(this.warnings).isEmpty();
  }

  @Test
  void saysNothingWhenExportIsSwitchedOff() {
    start(
        true,
        new MockEnvironment()
            .withProperty(AotSpanExportCheck.ENDPOINT, ENDPOINT)
            .withProperty("management.tracing.export.enabled", "false"),
        false);

    assertThat(this.warnings).isEmpty();
  }

  @Test
  void saysNothingWithoutAot() {
    start(false, new MockEnvironment().withProperty(AotSpanExportCheck.ENDPOINT, ENDPOINT), false);

    assertThat(this.warnings).isEmpty();
  }

  private void start(boolean aotProcessed, MockEnvironment environment, boolean withExporter) {
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      context.setEnvironment(environment);
      if (withExporter) {
        context.registerBean(SpanExporter.class, DroppingSpanExporter::new);
      }
      context.refresh();
      new AotSpanExportCheck(() -> aotProcessed, new RecordingLog(this.warnings))
          .onApplicationEvent(
              new ApplicationStartedEvent(
                  new SpringApplication(), new String[0], context, Duration.ZERO));
    }
  }

  private static final class DroppingSpanExporter implements SpanExporter {

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  private static final class RecordingLog extends SimpleLog {

    private final List<String> warnings;

    RecordingLog(List<String> warnings) {
      super("test");
      this.warnings = warnings;
    }

    @Override
    protected void log(int type, Object message, Throwable t) {
      if (type == LOG_LEVEL_WARN) {
        this.warnings.add(String.valueOf(message));
      }
    }
  }
}
