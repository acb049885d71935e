package io.github.obskit.stack.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs after {@code package} (failsafe): the chart archive the build attaches installs what the
 * assembled chart renders.
 */
class PackagedChartTests {

  private final Path archive = Path.of(System.getProperty("obskit.chart.package"));

  @Test
  void carriesTheProjectVersion() {
    assertThat(this.archive).isRegularFile();
    Map<String, Object> chart =
        RenderedChart.map(new Yaml().load(Helm.show(this.archive.toString()).chart().call()));
    String version = System.getProperty("obskit.project.version");
    assertThat(chart)
        .containsEntry("name", "obskit")
        .containsEntry("version", version)
        .containsEntry("appVersion", version);
  }

  @Test
  void rendersTheSameManifestsAsTheAssembledChart() {
    String packaged =
        Helm.template(this.archive.toString())
            .withName(RenderedChart.RELEASE)
            .withNamespace(RenderedChart.NAMESPACE)
            .withKubeVersion(RenderedChart.KUBE_VERSION)
            .call();
    assertThat(packaged)
        .contains("kind: PrometheusRule", "kind: ConfigMap")
        .isEqualTo(RenderedChart.render("defaults"));
  }

  @Test
  void holdsTheLibrarysRuleFilesAndDashboardsButNotTheCiValues() throws IOException {
    List<String> entries = tarEntries(this.archive);
    List<String> expected = new ArrayList<>();
    RenderedChart.ruleFiles()
        .forEach((file) -> expected.add("obskit/files/rules/" + file + ".rules.yml"));
    RenderedChart.dashboards()
        .forEach((file) -> expected.add("obskit/files/dashboards/" + file.getFileName()));
    expected.addAll(
        List.of(
            "obskit/Chart.yaml",
            "obskit/values.yaml",
            "obskit/values.schema.json",
            "obskit/README.md",
            "obskit/templates/NOTES.txt"));
    assertThat(entries).containsAll(expected).noneMatch((entry) -> entry.startsWith("obskit/ci/"));
  }

  @Test
  void everyEntryIsDatedByTheBuildsOutputTimestampSoTwoBuildsGiveTheSameArchive()
      throws IOException {
    long timestamp =
        ChartPackager.outputTimestamp(System.getProperty("obskit.output.timestamp"))
            .getEpochSecond();
    List<Long> times = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(this.archive))) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        times.add(Long.parseLong(new String(header, 136, 11, StandardCharsets.US_ASCII), 8));
        long size =
            Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
        in.skipNBytes((size + 511) / 512 * 512);
      }
    }
    assertThat(times).isNotEmpty().containsOnly(timestamp);
  }

  /** The file names of a gzipped tar archive (ustar headers: name, then the size in octal). */
  private static List<String> tarEntries(Path archive) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
        String prefix = new String(header, 345, 155, StandardCharsets.US_ASCII).replace("\0", "");
        long size =
            Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
        names.add(prefix.isEmpty() ? name : prefix + "/" + name);
        in.skipNBytes((size + 511) / 512 * 512);
      }
    }
    return names;
  }
}
