package io.github.obskit.autoconfigure;

import static io.github.obskit.JsonLogLines.awaitEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.Waits;
import io.github.obskit.autoconfigure.testapp.TestApplication;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/** What a client's mistakes and headers leave in the log, through a real server. */
// Boot initialises logging once per JVM until a context closes: closing this one lets the next test
// class start with the logging configuration its own properties select.
@DirtiesContext
@SpringBootTest(
    classes = TestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.application.name=obskit-client-input-test",
      // As in the demo: an unknown path is Spring MVC's NoHandlerFoundException, not a resource.
      "spring.web.resources.add-mappings=false"
    })
@ExtendWith(OutputCaptureExtension.class)
class ClientInputInTheLogApplicationTests {

  @LocalServerPort private int port;

  @Test
  void unknownPathsAndRefusedMethodsLogOnlyTheirAccessLine(CapturedOutput output) throws Exception {
    assertThat(request("GET /no-such-path", "not-found", "curl/8.5.0")).startsWith("HTTP/1.1 404");
    assertThat(request("POST /orders/1", "refused-method", "curl/8.5.0"))
        .startsWith("HTTP/1.1 405");
    request("GET /orders/2", "after", "curl/8.5.0");

    assertThat(accessEvent(output, "not-found").get("route").asString()).isEqualTo("NOT_FOUND");
    assertThat(accessEvent(output, "refused-method").get("status").asInt()).isEqualTo(405);
    accessEvent(output, "after");
    assertThat(output.getOut())
        .doesNotContain("No mapping for GET /no-such-path")
        .doesNotContain("\"logger_name\":\"org.springframework.web.servlet.PageNotFound\"");
  }

  @Test
  void utf8UserAgentIsLoggedAsSent(CapturedOutput output) throws Exception {
    String userAgent = "Mozilla/5.0 (Linux; de-AT) Grüße 日本 🚀";

    request("GET /orders/3", "utf8-agent", userAgent);

    assertThat(accessEvent(output, "utf8-agent").get("user_agent").asString()).isEqualTo(userAgent);
  }

  @Test
  void longUserAgentIsCutAfter512CharactersWithAMark(CapturedOutput output) throws Exception {
    String userAgent = "agent/" + "x".repeat(6000);

    request("GET /orders/4", "long-agent", userAgent);

    assertThat(accessEvent(output, "long-agent").get("user_agent").asString())
        .hasSize(513)
        .startsWith("agent/xxx")
        .endsWith("x…");
  }

  @Test
  void longPathIsCutAfter1024CharactersWithAMarkInTheFieldAndTheMessage(CapturedOutput output)
      throws Exception {
    // The attack: Tomcat's 8 KB request line lets a 7 600-character path through.
    String path = "/long-" + "p".repeat(7600);

    assertThat(request("GET " + path, "long-path", "curl/8.5.0")).startsWith("HTTP/1.1 404");

    JsonNode event = accessEvent(output, "long-path");
    String logged = event.get("path").asString();
    assertThat(logged).hasSize(1025).startsWith("/long-ppp").endsWith("p…");
    assertThat(event.get("message").asString()).startsWith("GET " + logged + " 404 ");
    assertThat(event.toString().getBytes(StandardCharsets.UTF_8).length).isLessThan(4096);
  }

  private JsonNode accessEvent(CapturedOutput output, String requestId) {
    return awaitEvent(
        output,
        (line) ->
            "obskit.access".equals(line.path("logger_name").asString())
                && requestId.equals(line.path("request_id").asString()));
  }

  /**
   * Sends the request as raw bytes (UTF-8 in the header, as browsers do) and returns the answer.
   */
  private String request(String requestLine, String requestId, String userAgent) throws Exception {
    String request =
        requestLine
            + " HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: "
            + requestId
            + "\r\nUser-Agent: "
            + userAgent
            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", this.port)) {
      socket.setSoTimeout((int) Waits.HTTP.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
