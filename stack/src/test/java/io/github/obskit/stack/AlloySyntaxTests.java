package io.github.obskit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.obskit.stack.AlloySyntax.Block;
import io.github.obskit.stack.AlloySyntax.Call;
import io.github.obskit.stack.AlloySyntax.Reference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlloySyntaxTests {

  @Test
  void readsBlocksAttributesAndNestedValues() {
    Block root =
        AlloySyntax.parse(
            """
            // comment
            loki.process "json" {
              stage.json {
                expressions = { level = "level", ts = "\\"@timestamp\\"", }
              }
              /* block comment */
              forward_to = [loki.write.default.receiver]
            }
            """);
    Block process = root.children("loki.process").findFirst().orElseThrow();
    assertThat(process.label()).isEqualTo("json");
    assertThat(process.attributes().get("forward_to"))
        .isEqualTo(List.of(new Reference("loki.write.default.receiver")));
    Block json = process.children("stage.json").findFirst().orElseThrow();
    assertThat(json.attributes().get("expressions"))
        .isEqualTo(Map.of("level", "level", "ts", "\"@timestamp\""));
  }

  @Test
  void readsFunctionCalls() {
    Block root = AlloySyntax.parse("rule {\n  regex = sys.env(\"NAME\")\n  other = f()\n}\n");
    Block rule = root.children("rule").findFirst().orElseThrow();
    assertThat(rule.attributes().get("regex")).isEqualTo(new Call("sys.env", List.of("NAME")));
    assertThat(rule.attributes().get("other")).isEqualTo(new Call("f", List.of()));
  }

  @Test
  void rejectsAnUnclosedBlockNamingTheLine() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AlloySyntax.parse("a {\n  b = \"c\"\n"))
        .withMessageContaining("line 3")
        .withMessageContaining("unclosed block a");
  }

  @Test
  void jsonFieldsAreReadFromPlainAndQuotedJmesPathIdentifiers() {
    assertThat(LogPipelines.jsonField("level", "")).isEqualTo("level");
    assertThat(LogPipelines.jsonField("lvl", "level")).isEqualTo("level");
    assertThat(LogPipelines.jsonField("ts", "\"@timestamp\"")).isEqualTo("@timestamp");
    assertThatIllegalArgumentException().isThrownBy(() -> LogPipelines.jsonField("x", "a.b"));
  }
}
