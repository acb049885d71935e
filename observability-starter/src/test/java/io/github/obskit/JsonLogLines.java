package io.github.obskit;

import static org.awaitility.Awaitility.await;

import java.util.function.Predicate;
import org.springframework.boot.test.system.CapturedOutput;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON log events a test captured from stdout. */
public final class JsonLogLines {

  private static final JsonMapper json = JsonMapper.builder().build();

  private JsonLogLines() {}

  /**
   * Waits for the first JSON event on stdout that matches.
   *
   * @param output the captured output
   * @param match the event wanted
   * @return the event
   */
  public static JsonNode awaitEvent(CapturedOutput output, Predicate<JsonNode> match) {
    // The appender writes in batches from its own thread: the line arrives shortly after.
    return await()
        .atMost(Waits.CONDITION)
        .until(
            () ->
                output
                    .getOut()
                    .lines()
                    .filter((line) -> line.startsWith("{"))
                    .map(json::readTree)
                    .filter(match)
                    .findFirst()
                    .orElse(null),
            (event) -> event != null);
  }

  /**
   * Waits for the first JSON event on stdout with the given message.
   *
   * @param output the captured output
   * @param message the message of the event wanted
   * @return the event
   */
  public static JsonNode awaitMessage(CapturedOutput output, String message) {
    return awaitEvent(output, (event) -> message.equals(event.path("message").asString()));
  }
}
