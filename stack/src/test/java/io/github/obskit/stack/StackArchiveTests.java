package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.DASHBOARDS_MODULE;
import static io.github.obskit.stack.RepositoryFiles.SHIPPED_COMPOSE_FILES;
import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs after {@code package} (failsafe): checks the zip a user unpacks and starts with docker
 * compose.
 */
class StackArchiveTests {

  private ZipFile zip;

  private Set<String> entries;

  @BeforeEach
  void openArchive() throws IOException {
    this.zip = new ZipFile(System.getProperty("obskit.stack.zip"));
    this.entries = new TreeSet<>();
    Collections.list(this.zip.entries()).stream()
        .filter((entry) -> !entry.isDirectory())
        .forEach((entry) -> this.entries.add(entry.getName()));
  }

  @AfterEach
  void closeArchive() throws IOException {
    this.zip.close();
  }

  @Test
  void containsTheStackButNotTheModulesBuildFiles() {
    assertThat(this.entries)
        .contains(
            "stack/docker-compose.yml",
            "stack/docker-compose.prod.yml",
            "stack/docker-compose.ha.yml",
            "stack/.env.example",
            "stack/README.md",
            "stack/prometheus/prometheus.yml",
            "stack/prometheus/prometheus-ha.yml",
            "stack/alertmanager/alertmanager.yml",
            "stack/loki/loki.yml",
            "stack/alloy/config.alloy",
            "stack/promtail/promtail.yml",
            "stack/scripts/health.sh");
    assertThat(this.entries)
        .noneMatch((name) -> name.equals("stack/pom.xml") || name.equals("stack/.env"))
        .noneMatch((name) -> name.startsWith("stack/src/") || name.startsWith("stack/target/"))
        .noneMatch((name) -> name.startsWith("stack/bom/"));
  }

  @Test
  void containsEveryDashboardProvisioningFileAndRuleInTheRepositoryLayout() throws IOException {
    List<String> expected = new ArrayList<>();
    for (String folder : List.of("dashboards", "provisioning", "rules")) {
      Path root = DASHBOARDS_MODULE.resolve(folder);
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(Files::isRegularFile)
            .forEach(
                (file) ->
                    expected.add("grafana-dashboards/" + folder + "/" + root.relativize(file)));
      }
    }
    assertThat(expected).anyMatch((name) -> name.endsWith(".rules.yml"));
    assertThat(this.entries).containsAll(expected);
    assertThat(this.entries)
        .filteredOn((name) -> name.startsWith("grafana-dashboards/"))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everyRepositoryPathAComposeFileMountsIsInTheArchive() throws IOException {
    List<String> missing = new ArrayList<>();
    for (String file : SHIPPED_COMPOSE_FILES) {
      for (Object serviceObject : map(yamlEntry("stack/" + file).get("services")).values()) {
        for (Object volume : list(map(serviceObject).get("volumes"))) {
          String source = volume.toString().split(":")[0];
          if (source.startsWith(".")) {
            String entry = Path.of("stack").resolve(source).normalize().toString();
            if (!this.entries.contains(entry)
                && this.entries.stream().noneMatch((n) -> n.startsWith(entry + "/"))) {
              missing.add(file + ": " + source);
            }
          }
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void shipsTheComposeFilesWithoutTheRepositorysBuildOverride() {
    assertThat(this.entries)
        .filteredOn((name) -> name.matches("stack/docker-compose[^/]*\\.ya?ml"))
        .containsExactlyInAnyOrderElementsOf(
            SHIPPED_COMPOSE_FILES.stream().map((file) -> "stack/" + file).toList());
  }

  @Test
  void everyBuildAComposeFileInTheArchiveNamesHasItsContextAndDockerfileInTheArchive()
      throws IOException {
    List<String> missing = new ArrayList<>();
    for (String name : this.entries) {
      if (name.matches("stack/docker-compose[^/]*\\.ya?ml")) {
        map(yamlEntry(name).get("services"))
            .forEach(
                (service, definition) -> {
                  Object build = map(definition).get("build");
                  if (build == null) {
                    return;
                  }
                  String context =
                      (build instanceof String text) ? text : (String) map(build).get("context");
                  Object dockerfile = map(build).getOrDefault("dockerfile", "Dockerfile");
                  String contextEntry = Path.of("stack").resolve(context).normalize().toString();
                  String dockerfileEntry =
                      Path.of(contextEntry).resolve(dockerfile.toString()).normalize().toString();
                  if (!this.entries.contains(dockerfileEntry)) {
                    missing.add(name + ": " + service + " builds from " + dockerfileEntry);
                  }
                });
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void everyDashboardTheProvisioningPointsAtIsInTheArchive() throws IOException {
    Map<String, Object> grafana =
        map(map(yamlEntry("stack/docker-compose.yml").get("services")).get("grafana"));
    List<String> providerFolders = new ArrayList<>();
    for (String name : this.entries) {
      if (name.startsWith("grafana-dashboards/provisioning/dashboards/") && name.endsWith(".yml")) {
        for (Object provider : list(yamlEntry(name).get("providers"))) {
          String path = (String) map(map(provider).get("options")).get("path");
          // As in Docker, the most specific mount wins: the dashboards sit inside Grafana's
          // data volume.
          String source = null;
          int longestTarget = -1;
          for (Object volume : list(grafana.get("volumes"))) {
            String[] parts = volume.toString().split(":");
            boolean covers = path.equals(parts[1]) || path.startsWith(parts[1] + "/");
            if (covers && parts[1].length() > longestTarget) {
              source = parts[0] + path.substring(parts[1].length());
              longestTarget = parts[1].length();
            }
          }
          assertThat(source).as("compose mount for dashboard path " + path).isNotNull();
          providerFolders.add(Path.of("stack").resolve(source).normalize().toString());
        }
      }
    }
    assertThat(providerFolders).isNotEmpty();
    for (String folder : providerFolders) {
      assertThat(this.entries)
          .as("dashboards in " + folder)
          .filteredOn((name) -> name.startsWith(folder + "/") && name.endsWith(".json"))
          .hasSizeGreaterThanOrEqualTo(3);
    }
  }

  private Map<String, Object> yamlEntry(String name) throws IOException {
    ZipEntry entry = this.zip.getEntry(name);
    assertThat(entry).as(name).isNotNull();
    try (InputStream in = this.zip.getInputStream(entry)) {
      return RepositoryFiles.yaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
