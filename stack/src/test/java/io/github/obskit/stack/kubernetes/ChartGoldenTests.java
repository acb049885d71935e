package io.github.obskit.stack.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered manifests of the defaults and of every {@code ci/} file, against golden files in
 * src/test/resources/helm/golden. {@code -Dobskit.golden.update=true} rewrites them; review the
 * diff.
 *
 * <p>The goldens carry the chart version as {@code VERSION}, and each dashboard's JSON as a line
 * naming its file: the dashboards change often and {@link ChartDashboardsTests} compares them byte
 * for byte, so a dashboard edit does not touch every golden.
 */
class ChartGoldenTests {

  private static final Path GOLDEN = Path.of("src/test/resources/helm/golden");

  private static final Pattern DASHBOARD_KEY =
      Pattern.compile("^  \"?([\\w.-]+\\.json)\"?: \\|-?$");

  static List<String> valuesCases() {
    return RenderedChart.valuesCases();
  }

  @ParameterizedTest
  @MethodSource("valuesCases")
  void rendersTheGoldenManifests(String valuesCase) throws IOException {
    String manifest = normalized(RenderedChart.render(valuesCase));
    Path golden = GOLDEN.resolve(valuesCase.replace("-values.yaml", "") + ".yaml");
    if (Boolean.getBoolean("obskit.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, manifest);
    }
    assertThat(manifest).isEqualTo(Files.readString(golden));
  }

  private static String normalized(String manifest) {
    String version = System.getProperty("obskit.project.version");
    StringBuilder normalized = new StringBuilder();
    boolean inDashboard = false;
    for (String line : manifest.split("\n", -1)) {
      Matcher key = DASHBOARD_KEY.matcher(line);
      if (key.matches()) {
        normalized.append("  ").append(key.group(1)).append(": <grafana-dashboards/dashboards/");
        normalized.append(key.group(1)).append(">\n");
        inDashboard = true;
      } else if (!inDashboard || !(line.isEmpty() || line.startsWith("    "))) {
        inDashboard = false;
        normalized.append(line).append('\n');
      }
    }
    normalized.setLength(normalized.length() - 1);
    String text = normalized.toString();
    return (version != null) ? text.replace(version, "VERSION") : text;
  }
}
