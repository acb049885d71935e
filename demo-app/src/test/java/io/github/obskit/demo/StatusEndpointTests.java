package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.e2e.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class StatusEndpointTests {

  private static final String PROBLEM_JSON = "application/problem+json";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  private final JsonMapper json = JsonMapper.builder().build();

  @LocalServerPort private int port;

  @Test
  void rootAnswersPlainTextRoot() throws Exception {
    HttpResponse<String> response = get("/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).isEqualTo("root");
  }

  @Test
  void status200AnswersHelloAsJsonData() throws Exception {
    HttpResponse<String> response = get("/status/200");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json.readTree(response.body())).isEqualTo(json.readTree("{\"data\": \"Hello\"}"));
  }

  @ParameterizedTest
  @ValueSource(ints = {201, 299, 400, 404, 409, 418, 500, 503, 599})
  void otherStatusCodesAnswerThatStatusWithProblemDetail(int statusCode) throws Exception {
    HttpResponse<String> response = get("/status/" + statusCode);

    assertThat(response.statusCode()).isEqualTo(statusCode);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
    JsonNode problem = json.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(statusCode);
    assertThat(problem.path("detail").asString()).isEqualTo("an error occurred");
    assertThat(problem.path("instance").asString()).isEqualTo("/status/" + statusCode);
  }

  @ParameterizedTest
  @ValueSource(ints = {204, 205, 304})
  void statusCodesThatForbidABodyAnswerWithout(int statusCode) throws Exception {
    HttpResponse<String> response = get("/status/" + statusCode);

    assertThat(response.statusCode()).isEqualTo(statusCode);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("Content-Type")).isEmpty();
  }

  @Test
  void logsEachCallAndAnErrorForServerErrors(CapturedOutput output) throws Exception {
    get("/status/409");
    get("/status/502");

    await()
        .atMost(Waits.CONDITION)
        .untilAsserted(
            () ->
                assertThat(output.getOut())
                    .contains("Answering status 409")
                    .contains("Answering status 502")
                    .contains("Simulated server error, status 502")
                    .doesNotContain("Simulated server error, status 409"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "2OO", "200.5"})
  void rejectsStatusCodeThatIsNotAnInteger(String statusCode) throws Exception {
    assertBadParameter(get("/status/" + statusCode), "status_code", "must be an integer");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 100, 199, 600, 1000})
  void rejectsStatusCodeOutsideTheSupportedRange(int statusCode) throws Exception {
    assertBadParameter(get("/status/" + statusCode), "status_code", String.valueOf(statusCode));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "-0.001", "NaN", "Infinity", "-Infinity", "60.001", "1e9"})
  void rejectsSleepThatIsNegativeNotFiniteOrAboveTheCapWithOneMessage(String seconds)
      throws Exception {
    assertBadParameter(
        get("/status/200?seconds_sleep=" + seconds),
        "seconds_sleep",
        "must be a number of seconds between 0 and 60, got '" + Double.parseDouble(seconds) + "'.");
  }

  @Test
  void acceptsNegativeZeroAsZero() throws Exception {
    assertThat(get("/status/200?seconds_sleep=-0").statusCode()).isEqualTo(200);
  }

  @Test
  void countsTheFirstOfRepeatedSleepValues() throws Exception {
    assertThat(get("/status/200?seconds_sleep=0&seconds_sleep=61").statusCode()).isEqualTo(200);
    assertBadParameter(
        get("/status/200?seconds_sleep=61&seconds_sleep=0"), "seconds_sleep", "got '61.0'.");
    assertBadParameter(
        get("/status/200?seconds_sleep=x&seconds_sleep=0"),
        "seconds_sleep",
        "must be a number, got 'x'.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "1s", "0x10"})
  void rejectsSleepThatIsNotANumber(String seconds) throws Exception {
    assertBadParameter(
        get("/status/200?seconds_sleep=" + seconds), "seconds_sleep", "must be a number");
  }

  @Test
  void acceptsDecimalSleepAndStillAnswersTheRequestedStatus() throws Exception {
    HttpResponse<String> ok = get("/status/200?seconds_sleep=0.05");
    HttpResponse<String> conflict = get("/status/409?seconds_sleep=0.05");

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(conflict.statusCode()).isEqualTo(409);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nope", "/status", "/status/200/extra", "/docs/missing.js"})
  void unknownPathsAnswer404Problem(String path) throws Exception {
    HttpResponse<String> response = get(path);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
    assertThat(json.readTree(response.body()).path("status").asInt()).isEqualTo(404);
  }

  @Test
  void healthIsUpForContainerHealthchecks() throws Exception {
    HttpResponse<String> response = get("/actuator/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json.readTree(response.body()).path("status").asString()).isEqualTo("UP");
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
  }

  @Test
  void answersTenConcurrentRequests() {
    List<HttpResponse<String>> responses = getConcurrently("/status/200", 10);

    assertThat(responses)
        .allSatisfy(
            response -> {
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(response.body()).contains("Hello");
            });
  }

  // 200 is Tomcat's worker-thread count, so on Java 17 (no virtual threads) this still completes
  // in about one sleep; the wall-clock figure on Java 25 is measured by bin/sleep-benchmark.sh.
  @Test
  void answersTwoHundredConcurrentSleepingRequests() {
    List<HttpResponse<String>> responses = getConcurrently("/status/200?seconds_sleep=1", 200);

    assertThat(responses)
        .hasSize(200)
        .allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
  }

  private void assertBadParameter(HttpResponse<String> response, String parameter, String detail)
      throws IOException {
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
    JsonNode problem = json.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(400);
    assertThat(problem.path("parameter").asString()).isEqualTo(parameter);
    assertThat(problem.path("detail").asString()).contains("'" + parameter + "'").contains(detail);
  }

  private List<HttpResponse<String>> getConcurrently(String path, int count) {
    List<CompletableFuture<HttpResponse<String>>> futures =
        IntStream.range(0, count)
            .mapToObj(i -> client.sendAsync(request(path), BodyHandlers.ofString()))
            .toList();
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(request(path), BodyHandlers.ofString());
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Waits.HTTP)
        .build();
  }
}
