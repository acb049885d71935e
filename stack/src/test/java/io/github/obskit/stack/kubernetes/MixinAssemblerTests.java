package io.github.obskit.stack.kubernetes;

import static io.github.obskit.stack.kubernetes.RenderedChart.RULES;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The mixin is assembled from every file of the library, the rules unchanged as JSON. */
class MixinAssemblerTests {

  @Test
  void importsEveryRuleFileAndDashboardOfTheLibrary(@TempDir Path out) throws IOException {
    assemble(out);
    String library = Files.readString(out.resolve("library.libsonnet"));
    assertThat(RenderedChart.ruleFiles())
        .allSatisfy(
            (file) -> assertThat(library).contains(file + ": import 'rules/" + file + ".json'"));
    assertThat(RenderedChart.dashboards())
        .allSatisfy(
            (file) ->
                assertThat(library).contains("importstr 'dashboards/" + file.getFileName() + "'"));
    assertThat(out.resolve("mixin.libsonnet"))
        .hasSameTextualContentAs(RenderedChart.STACK.resolve("mixin/mixin.libsonnet"));
  }

  @Test
  void writesEveryRuleFileAsTheSameDataInJson(@TempDir Path out) throws IOException {
    assemble(out);
    JsonMapper json = JsonMapper.builder().build();
    for (String file : RenderedChart.ruleFiles()) {
      Object converted =
          json.readValue(out.resolve("rules/" + file + ".json").toFile(), Object.class);
      assertThat(converted).isEqualTo(RenderedChart.yaml(RULES.resolve(file + ".rules.yml")));
    }
  }

  @Test
  void copiesTheDashboardsByteForByte(@TempDir Path out) throws IOException {
    assemble(out);
    List<Path> dashboards = RenderedChart.dashboards();
    assertThat(dashboards)
        .allSatisfy(
            (file) ->
                assertThat(out.resolve("dashboards").resolve(file.getFileName().toString()))
                    .hasSameBinaryContentAs(file));
  }

  private static void assemble(Path out) throws IOException {
    MixinAssembler.assemble(
        RenderedChart.STACK.resolve("mixin"), RULES, RenderedChart.DASHBOARDS, out);
  }
}
