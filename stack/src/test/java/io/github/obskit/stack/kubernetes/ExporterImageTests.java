package io.github.obskit.stack.kubernetes;

import static io.github.obskit.stack.kubernetes.RenderedChart.CHART_SOURCES;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exporter image that passenger-metrics-lib/Dockerfile builds is the one the chart's default
 * values run: the jar where the chart's command looks for it, the same command, the same port.
 */
class ExporterImageTests {

  private static final Path DOCKERFILE =
      RenderedChart.STACK.getParent().resolve("passenger-metrics-lib/Dockerfile");

  private static final Pattern JSON_ARRAY = Pattern.compile("\\[(.*)]");

  private final String dockerfile = RenderedChart.read(DOCKERFILE);

  @SuppressWarnings("unchecked")
  private final Map<String, Object> exporterValues =
      (Map<String, Object>)
          RenderedChart.yaml(CHART_SOURCES.resolve("values.yaml")).get("passengerExporter");

  @Test
  @SuppressWarnings("unchecked")
  void runsTheChartsCommandOnTheJarItCopies() {
    List<String> command = (List<String>) this.exporterValues.get("command");
    assertThat(instruction("ENTRYPOINT")).isEqualTo(command);
    assertThat(lines("COPY --from=build "))
        .singleElement()
        .satisfies((copy) -> assertThat(copy).endsWith(" " + command.get(command.size() - 1)));
  }

  @Test
  void exposesTheChartsPortAndServesTheSocketByDefault() {
    assertThat(lines("EXPOSE ")).containsExactly("EXPOSE " + this.exporterValues.get("port"));
    assertThat(instruction("CMD"))
        .containsExactly(
            "serve", "--port", String.valueOf(this.exporterValues.get("port")), "--socket");
  }

  @Test
  void buildsFromPinnedImagesAndRunsAsANonRootUser() {
    assertThat(lines("FROM "))
        .hasSize(2)
        .allSatisfy(
            (from) -> assertThat(from).matches("FROM eclipse-temurin:\\d[\\w.-]+( AS build)?"));
    assertThat(lines("USER ")).containsExactly("USER 10001");
  }

  private List<String> lines(String prefix) {
    return this.dockerfile.lines().filter((line) -> line.startsWith(prefix)).toList();
  }

  private List<String> instruction(String name) {
    List<String> found = lines(name + " ");
    assertThat(found).as("%s instructions", name).hasSize(1);
    Matcher array = JSON_ARRAY.matcher(found.get(0));
    assertThat(array.find()).as("%s in exec form", name).isTrue();
    return Arrays.stream(array.group(1).split(","))
        .map((word) -> word.strip().replaceAll("^\"|\"$", ""))
        .toList();
  }
}
