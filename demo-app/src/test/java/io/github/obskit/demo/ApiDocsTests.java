package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ApiDocsTests {

  private final HttpClient client = HttpClient.newHttpClient();

  private final JsonMapper json = JsonMapper.builder().build();

  @LocalServerPort private int port;

  @Test
  void openApiDocumentHasTitleAndFilteredProjectVersion() throws Exception {
    JsonNode info = openApi().path("info");

    assertThat(info.path("title").asString()).isEqualTo("obskit demo-app");
    assertThat(info.path("version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void openApiDocumentDescribesOnlyTheDemoEndpointsWithTheirLimits() throws Exception {
    JsonNode openApi = openApi();

    assertThat(openApi.path("paths").propertyNames())
        .containsExactlyInAnyOrder("/", "/status/{status_code}");
    JsonNode parameters =
        openApi.path("paths").path("/status/{status_code}").path("get").path("parameters");
    JsonNode statusCode = parameter(parameters, "status_code");
    assertThat(statusCode.path("in").asString()).isEqualTo("path");
    assertThat(statusCode.path("schema").path("minimum").asInt()).isEqualTo(200);
    assertThat(statusCode.path("schema").path("maximum").asInt()).isEqualTo(599);
    JsonNode secondsSleep = parameter(parameters, "seconds_sleep");
    assertThat(secondsSleep.path("in").asString()).isEqualTo("query");
    assertThat(secondsSleep.path("required").asBoolean()).isFalse();
    assertThat(secondsSleep.path("schema").path("type").asString()).isEqualTo("number");
    assertThat(secondsSleep.path("schema").path("minimum").isNumber()).isTrue();
    assertThat(secondsSleep.path("schema").path("minimum").asInt()).isZero();
  }

  @Test
  void docsServesTheScalarPageConfiguredForOurDocumentWithoutTelemetry() throws Exception {
    HttpResponse<String> response = get("/docs");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(response.body())
        .contains("<title>obskit demo-app API</title>")
        .contains("<script src=\"/docs/scalar.js\"></script>")
        .contains("\"url\":\"/docs/openapi.json\"")
        .contains("\"telemetry\":false")
        .contains("\"agent\":{\"disabled\":true}")
        .contains("\"withDefaultFonts\":false");
  }

  @Test
  void docsServesTheScalarScriptFromTheJarRatherThanACdn() throws Exception {
    HttpResponse<String> response = get("/docs/scalar.js");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/javascript");
    assertThat(response.body()).contains("createApiReference");
  }

  private static JsonNode parameter(JsonNode parameters, String name) {
    for (JsonNode parameter : parameters) {
      if (parameter.path("name").asString().equals(name)) {
        return parameter;
      }
    }
    throw new AssertionError("No parameter " + name + " in " + parameters);
  }

  private JsonNode openApi() throws IOException, InterruptedException {
    HttpResponse<String> response = get("/docs/openapi.json");
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        BodyHandlers.ofString());
  }
}
