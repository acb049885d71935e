package io.github.obskit.stack.kubernetes;

import static io.github.obskit.stack.kubernetes.RenderedChart.CHART_SOURCES;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's values table lists exactly the values that values.yaml documents. */
class ChartDocumentationTests {

  private static final Pattern KEY = Pattern.compile("^( *)([\\w/.-]+):.*$");

  private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `([\\w.]+)` \\|");

  @Test
  void documentsEveryValueInTheValuesYamlAndTheReadme() {
    Set<String> documented = new LinkedHashSet<>();
    Set<String> undocumented = new LinkedHashSet<>();
    List<String> path = new ArrayList<>();
    boolean commented = false;
    for (String line : RenderedChart.read(CHART_SOURCES.resolve("values.yaml")).split("\n")) {
      if (line.strip().startsWith("# --")) {
        commented = true;
        continue;
      }
      Matcher key = KEY.matcher(line);
      if (!key.matches()) {
        commented &= line.strip().startsWith("#");
        continue;
      }
      int depth = key.group(1).length() / 2;
      path.subList(Math.min(depth, path.size()), path.size()).clear();
      path.add(key.group(2));
      String name = String.join(".", path);
      boolean leaf = !line.strip().endsWith(":");
      if (commented) {
        documented.add(name);
      } else if (leaf && documented.stream().noneMatch((d) -> name.startsWith(d + "."))) {
        undocumented.add(name);
      }
      commented = false;
    }
    assertThat(undocumented).as("values without a `# --` comment").isEmpty();
    Set<String> table = new LinkedHashSet<>();
    Matcher row = TABLE_ROW.matcher(RenderedChart.read(CHART_SOURCES.resolve("README.md")));
    while (row.find()) {
      table.add(row.group(1));
    }
    assertThat(table).containsExactlyElementsOf(documented);
  }
}
