package io.github.obskit.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.autoconfigure.asyncapp.AsyncTestApplication;
import io.github.obskit.autoconfigure.asyncapp.ScheduledWork;
import io.github.obskit.autoconfigure.asyncapp.ThreadContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

// The paths the README lists as carrying the request's traceId and request_id to another thread,
// and the two it tells the application to wrap. Nothing sets
// spring.task.execution.propagate-context:
// the starter's default is under test.
@SpringBootTest(
    classes = AsyncTestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "spring.application.name=obskit-async")
@AutoConfigureTracing
class ContextAcrossThreadsApplicationTests {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final JsonMapper json = JsonMapper.builder().build();

  @LocalServerPort private int port;

  @Autowired private ScheduledWork scheduledWork;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/async-method",
        "/task-executor",
        "/common-pool-wrapped",
        "/own-executor-wrapped"
      })
  void theOtherThreadSeesTheRequestsTraceIdAndRequestId(String path) throws Exception {
    String traceId = HexFormat.of().formatHex(randomBytes(16));
    String requestId = UUID.randomUUID().toString();

    ThreadContext seen = get(path, traceId, requestId);

    assertThat(seen.thread()).isNotEqualTo(get("/here", traceId, requestId).thread());
    assertThat(seen.traceId()).isEqualTo(traceId);
    assertThat(seen.requestId()).isEqualTo(requestId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/common-pool", "/own-executor"})
  void anUnwrappedExecutorLosesTheContext(String path) throws Exception {
    ThreadContext seen =
        get(path, HexFormat.of().formatHex(randomBytes(16)), UUID.randomUUID().toString());

    assertThat(seen.traceId()).isNull();
    assertThat(seen.requestId()).isNull();
  }

  @Test
  void aScheduledRunHasATraceOfItsOwnAndNoRequestId() {
    ThreadContext run =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(this.scheduledWork::lastRun, (seen) -> seen != null);

    assertThat(run.traceId()).hasSize(32);
    assertThat(run.requestId()).isNull();
  }

  private ThreadContext get(String path, String traceId, String requestId) throws Exception {
    HttpResponse<String> response =
        this.http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
                .header(
                    "traceparent",
                    "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01")
                .header("X-Request-Id", requestId)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return this.json.readValue(response.body(), ThreadContext.class);
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
