package io.github.obskit.autoconfigure;

import static io.github.obskit.JsonLogLines.awaitEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.autoconfigure.testapp.TestApplication;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * With Micrometer Tracing, the access-log line carries the trace and span ids of the request's own
 * span, as Boot registers the tracing handlers (a test tracer instead of an exporting one).
 */
@DirtiesContext
@SpringBootTest(
    classes = {TestApplication.class, TracedApplicationTests.TracerConfiguration.class},
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.application.name=obskit-traced")
@ExtendWith(OutputCaptureExtension.class)
class TracedApplicationTests {

  @LocalServerPort private int port;

  @Autowired private SimpleTracer tracer;

  @Test
  void accessLogCarriesTheIdsOfTheRequestsSpan(CapturedOutput output) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/orders/7"))
                    .header("X-Request-Id", "traced-request")
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);

    JsonNode access =
        awaitEvent(
            output,
            (line) ->
                "obskit.access".equals(line.path("logger_name").asString())
                    && "traced-request".equals(line.path("request_id").asString()));

    SimpleSpan span =
        this.tracer.getSpans().stream()
            .filter((candidate) -> "/orders/7".equals(candidate.getTags().get("http.url")))
            .findFirst()
            .orElseThrow();
    assertThat(access.get("traceId").asString()).isEqualTo(span.getTraceId());
    assertThat(access.get("spanId").asString()).isEqualTo(span.getSpanId());
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class TracerConfiguration {

    @Bean
    SimpleTracer simpleTracer() {
      return new SimpleTracer();
    }
  }
}
