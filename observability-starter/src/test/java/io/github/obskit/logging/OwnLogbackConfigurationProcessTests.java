package io.github.obskit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.Waits;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The starter README's own-logback setup, exactly as written there, in an application of its own
 * JVM: what a user sees on stdout from the first line (logback's own initialisation, the banner) to
 * the last.
 */
class OwnLogbackConfigurationProcessTests {

  private static final Path README = Path.of("README.md");

  private static final String SECTION = "### With your own `logback-spring.xml`";

  // The fields of docs/CONTRACT.md's log contract.
  private static final Set<String> CONTRACT_FIELDS =
      Set.of(
          "@timestamp",
          "@version",
          "level",
          "level_value",
          "logger_name",
          "thread_name",
          "message",
          "stack_trace",
          "tags",
          "app",
          "env",
          "request_id",
          "traceId",
          "spanId");

  private static final JsonMapper json = JsonMapper.builder().build();

  @TempDir Path classpathRoot;

  @Test
  void theDocumentedSetupWritesOnlyJsonLinesToStdout() throws Exception {
    Files.writeString(classpathRoot.resolve("logback-spring.xml"), snippet("xml"));
    Files.writeString(classpathRoot.resolve("application.properties"), snippet("properties"));

    Started application = start();

    assertThat(application.exitCode()).as(application.stderr()).isZero();
    List<JsonNode> events = new ArrayList<>();
    for (String line : application.stdout()) {
      events.add(json.readTree(line));
    }
    assertThat(events)
        .extracting((event) -> event.path("message").asString())
        .contains("through SLF4J\nsecond line", "through commons-logging")
        .anySatisfy((message) -> assertThat(message).startsWith("Started OwnLogbackApplication"));
    assertThat(events)
        .allSatisfy((event) -> assertThat(event.isObject()).isTrue())
        .allSatisfy((event) -> assertThat(CONTRACT_FIELDS).containsAll(event.propertyNames()));
    JsonNode commonsLogging =
        events.stream()
            .filter((event) -> event.path("message").asString().equals("through commons-logging"))
            .findFirst()
            .orElseThrow();
    assertThat(commonsLogging.path("tags").toString()).isEqualTo("[\"COMMONS-LOGGING\"]");
    assertThat(commonsLogging.path("stack_trace").asString()).contains("a stack trace");
    assertThat(commonsLogging.path("app").asString()).isEqualTo("own-logback");
  }

  @Test
  void theSameFileNamedLogbackXmlMakesLogbackPrintItsStatusFirst() throws Exception {
    Files.writeString(classpathRoot.resolve("logback.xml"), snippet("xml"));
    Files.writeString(classpathRoot.resolve("application.properties"), snippet("properties"));

    Started application = start();

    assertThat(application.stdout())
        .filteredOn((line) -> !line.startsWith("{"))
        .anySatisfy(
            (line) ->
                assertThat(line).contains("|-WARN", "Ignoring unknown property [springProperty]"))
        .hasSizeGreaterThan(20);
  }

  /** The README's first code block of the given language in the own-logback section. */
  private static String snippet(String language) throws Exception {
    String readme = Files.readString(README);
    String section = readme.substring(readme.indexOf(SECTION));
    Matcher block =
        Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(block.find()).as("a %s block in the README's section", language).isTrue();
    return block.group(1);
  }

  private Started start() throws Exception {
    String classpath =
        classpathRoot
            + File.pathSeparator
            + System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path stdout = classpathRoot.resolve("stdout.txt");
    Path stderr = classpathRoot.resolve("stderr.txt");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                classpath,
                OwnLogbackApplication.class.getName(),
                "--spring.application.name=own-logback")
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      // A Boot application's start in a JVM of its own took over 120 s under stress-ng on 2 cores.
      assertThat(process.waitFor(Waits.PROCESS.toSeconds(), TimeUnit.SECONDS))
          .as("the application stopped")
          .isTrue();
    } finally {
      process.destroyForcibly();
    }
    return new Started(
        process.exitValue(),
        Files.readAllLines(stdout, StandardCharsets.UTF_8).stream()
            .filter((line) -> !line.isBlank())
            .toList(),
        Files.readString(stderr));
  }

  private record Started(int exitCode, List<String> stdout, String stderr) {}
}
