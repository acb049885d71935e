package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.COMPOSE_FILES;
import static io.github.obskit.stack.RepositoryFiles.SHIPPED_COMPOSE_FILES;
import static io.github.obskit.stack.RepositoryFiles.STACK;
import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;
import static io.github.obskit.stack.RepositoryFiles.services;
import static io.github.obskit.stack.RepositoryFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ComposeFileTests {

  /** Service name to container port, as fixed by docs/CONTRACT.md. */
  private static final Map<String, String> CONTRACT_PORTS =
      Map.of(
          "backend", "8080",
          "prometheus", "9090",
          "alertmanager", "9093",
          "loki", "3100",
          "tempo", "3200",
          "alloy", "12345",
          "promtail", "9080",
          "grafana", "3000");

  /** Host paths outside the repository that a service may mount, each read-only. */
  private static final Set<String> ALLOWED_HOST_PATHS = Set.of("/var/run/docker.sock");

  /** The demo's image as this build's source produces it: tagged with the project's version. */
  private static final String DEMO_IMAGE = "obskit/demo-app:" + RepositoryFiles.PROJECT_VERSION;

  /**
   * A release tag, optionally with a variant ({@code 17.6-alpine}) and a digest. A snapshot is no
   * release: it changes under the same tag.
   */
  private static final Pattern PINNED_IMAGE =
      Pattern.compile(
          "[a-z0-9./_-]+:v?[0-9]+(\\.[0-9]+)+"
              + "(-(?!(?i:snapshot))[A-Za-z0-9.]+)?(@sha256:[0-9a-f]{64})?");

  /** {@code ${NAME:-default}}: an image the user may replace, pinned by its default. */
  private static final Pattern OVERRIDABLE = Pattern.compile("\\$\\{[A-Z_]+:-(.+)}");

  @Test
  void everyFileMountedByAComposeFileExistsInTheRepository() {
    List<String> missing = new ArrayList<>();
    forEachService(
        (file, name, service) -> {
          for (Mount mount : mounts(service)) {
            if (mount.isRepositoryPath() && !Files.exists(STACK.resolve(mount.source()))) {
              missing.add(file + ": " + name + " mounts " + mount.source());
            }
          }
        });
    assertThat(missing).isEmpty();
  }

  @Test
  void theBackendRunsTheDemoImageOfThisVersionUnlessBackendImageNamesAnother() {
    assertThat(map(services("docker-compose.yml").get("backend")).get("image"))
        .isEqualTo("${BACKEND_IMAGE:-" + DEMO_IMAGE + "}");
  }

  @Test
  void aBuildTagsOnlyTheDemosOwnImageNeverTheOneBackendImageNames() {
    // A build tags the image its service runs: under ${BACKEND_IMAGE:-...} compose would build the
    // demo with the name of the user's service, run the demo instead and overwrite the user's tag.
    Map<String, Object> builtImages = new LinkedHashMap<>();
    forEachService(
        (file, name, service) -> {
          if (service.containsKey("build")) {
            builtImages.put(file + ": " + name, service.get("image"));
          }
        });
    assertThat(builtImages)
        .containsExactly(Map.entry("docker-compose.override.yml: backend", DEMO_IMAGE));
  }

  @Test
  void onlyTheRepositorysOverrideBuildsTheBackendFromTheDemoDockerfile() {
    Map<String, Object> build =
        map(map(services("docker-compose.override.yml").get("backend")).get("build"));
    Path context = STACK.resolve((String) build.get("context")).normalize();
    assertThat(context).isEqualTo(RepositoryFiles.ROOT);
    assertThat(build.get("dockerfile")).isEqualTo("demo-app/Dockerfile");
    assertThat(context.resolve((String) build.get("dockerfile"))).isRegularFile();
    // The zip ships these files without the source a build would need.
    for (String file : SHIPPED_COMPOSE_FILES) {
      services(file)
          .forEach(
              (name, service) ->
                  assertThat(map(service)).as(file + ": " + name).doesNotContainKey("build"));
    }
  }

  @Test
  void everyImageIsPinnedToAVersion() {
    Map<String, String> unpinned = new LinkedHashMap<>();
    forEachService(
        (file, name, service) -> {
          Object image = service.get("image");
          if (image != null && !isPinned(defaultOf(image.toString()))) {
            unpinned.put(file + ": " + name, image.toString());
          }
        });
    assertThat(unpinned).isEmpty();
    assertThat(isPinned("grafana/loki:3.7.2")).isTrue();
    assertThat(isPinned("postgres:17.6-alpine")).isTrue();
    assertThat(isPinned("grafana/loki:latest")).isFalse();
    assertThat(isPinned("grafana/loki")).isFalse();
    assertThat(isPinned("prom/prometheus:v3")).isFalse();
    assertThat(isPinned(defaultOf("${IMAGE:-grafana/loki:latest}"))).isFalse();
  }

  @Test
  void onlyTheDemosOwnImageMayCarryTheSnapshotVersionOfThisBuild() {
    // The demo's image is built from this source, so its tag follows the pom's version; a snapshot
    // of anyone else's image, or of another version of the demo, is not pinned.
    assertThat(isPinned(DEMO_IMAGE)).isTrue();
    assertThat(isPinned("grafana/loki:3.7.2-SNAPSHOT")).isFalse();
    assertThat(isPinned("grafana/loki:3.7.2-snapshot")).isFalse();
    assertThat(isPinned("acme/demo-app:0.1.0-SNAPSHOT")).isFalse();
    assertThat(isPinned("obskit/demo-app:0.0.1-SNAPSHOT")).isFalse();
  }

  @Test
  void everyNamedVolumeIsDeclared() {
    Set<String> declared = new HashSet<>();
    for (String file : COMPOSE_FILES) {
      declared.addAll(map(yaml(STACK.resolve(file)).get("volumes")).keySet());
    }
    List<String> undeclared = new ArrayList<>();
    forEachService(
        (file, name, service) -> {
          for (Mount mount : mounts(service)) {
            if (mount.isNamedVolume() && !declared.contains(mount.source())) {
              undeclared.add(file + ": " + name + " uses " + mount.source());
            }
          }
        });
    assertThat(undeclared).isEmpty();
  }

  @Test
  void hostPathsOutsideTheRepositoryAreOnlyTheDockerSocketAndReadOnly() {
    List<String> offending = new ArrayList<>();
    forEachService(
        (file, name, service) -> {
          for (Mount mount : mounts(service)) {
            boolean hostPath = mount.source().startsWith("/");
            if (hostPath && (!ALLOWED_HOST_PATHS.contains(mount.source()) || !mount.readOnly())) {
              offending.add(file + ": " + name + " mounts " + mount);
            }
            if (mount.isRepositoryPath() && !mount.readOnly()) {
              offending.add(file + ": " + name + " can write to the repository through " + mount);
            }
          }
        });
    assertThat(offending).isEmpty();
  }

  @Test
  void nothingRunsPrivilegedOrInTheHostsNamespaces() {
    List<String> offending = new ArrayList<>();
    forEachService(
        (file, name, service) -> {
          for (String key :
              List.of("privileged", "cap_add", "network_mode", "pid", "ipc", "userns_mode")) {
            if (service.containsKey(key)) {
              offending.add(file + ": " + name + " sets " + key);
            }
          }
        });
    assertThat(offending).isEmpty();
  }

  @Test
  void everyServiceHasAHealthcheckAndDependenciesWaitForHealth() {
    Map<String, Object> dev = services("docker-compose.yml");
    Map<String, Object> ha = services("docker-compose.ha.yml");
    List<String> problems = new ArrayList<>();
    forEachService(
        (file, name, service) -> {
          // Overlays change services of the dev file, whose healthchecks they inherit.
          boolean definedHere = file.equals("docker-compose.yml") || !dev.containsKey(name);
          List<Object> test = list(map(service.get("healthcheck")).get("test"));
          if (definedHere && test.isEmpty()) {
            problems.add(file + ": " + name + " has no healthcheck");
          }
          // A stray ": " in an unquoted argument turns it into a map, which compose rejects.
          if (!test.isEmpty()
              && (!List.of("CMD", "CMD-SHELL").contains(test.get(0))
                  || !test.stream().allMatch(String.class::isInstance))) {
            problems.add(file + ": " + name + " has a malformed healthcheck " + test);
          }
          map(service.get("depends_on"))
              .forEach(
                  (dependency, condition) -> {
                    if (!"service_healthy".equals(map(condition).get("condition"))) {
                      problems.add(file + ": " + name + " does not wait for " + dependency);
                    }
                    if (!dev.containsKey(dependency) && !ha.containsKey(dependency)) {
                      problems.add(file + ": " + name + " depends on unknown " + dependency);
                    }
                  });
        });
    assertThat(problems).isEmpty();
  }

  @Test
  void portsAreTheContractsAndBindToLoopbackByDefault() {
    Map<String, Object> dev = services("docker-compose.yml");
    assertThat(dev).containsOnlyKeys(CONTRACT_PORTS.keySet());
    CONTRACT_PORTS.forEach(
        (name, port) -> {
          List<Object> ports = list(map(dev.get(name)).get("ports"));
          assertThat(ports).as(name).hasSize(1);
          String[] parts = ports.get(0).toString().split(":");
          assertThat(parts[parts.length - 1]).as(name + " container port").isEqualTo(port);
          assertThat(parts[parts.length - 2]).as(name + " published port").isEqualTo(port);
          String hostIp = String.join(":", List.of(parts).subList(0, parts.length - 2));
          assertThat(hostIp).as(name + " host address").matches("\\$\\{[A-Z_]+:-127\\.0\\.0\\.1}");
        });
  }

  @Test
  void theExampleEnvironmentKeepsGrafanaOnLoopback() {
    // Copied for dev as well (COMPOSE_PROFILES), where Grafana's login is admin/admin.
    assertThat(RepositoryFiles.read(STACK.resolve(".env.example")))
        .containsPattern("(?m)^GRAFANA_BIND_ADDRESS=127\\.0\\.0\\.1$")
        .doesNotContainPattern("(?m)^BIND_ADDRESS=");
  }

  @Test
  void theShippersAreChosenByProfileAndEverythingElseAlwaysRuns() {
    Map<String, Object> dev = services("docker-compose.yml");
    assertThat(list(map(dev.get("alloy")).get("profiles"))).containsExactly("alloy");
    assertThat(list(map(dev.get("promtail")).get("profiles"))).containsExactly("promtail");
    dev.forEach(
        (name, service) -> {
          if (!name.equals("alloy") && !name.equals("promtail")) {
            assertThat(map(service)).as(name).doesNotContainKey("profiles");
          }
        });
  }

  @Test
  void everyConfigFileACommandNamesIsMounted() {
    // Overlays replace a command but inherit the volumes, so mounts are collected over all files.
    Map<String, Set<String>> mountTargets = new HashMap<>();
    forEachService(
        (file, name, service) ->
            mounts(service)
                .forEach(
                    (mount) ->
                        mountTargets
                            .computeIfAbsent(name, (key) -> new HashSet<>())
                            .add(mount.target())));
    Pattern configArgument = Pattern.compile("--?config\\.file=(.+)");
    Map<String, String> checked = new LinkedHashMap<>();
    forEachService(
        (file, name, service) -> {
          for (Object argument : list(service.get("command"))) {
            String text = argument.toString();
            var matcher = configArgument.matcher(text);
            String path =
                matcher.matches() ? matcher.group(1) : (text.endsWith(".alloy") ? text : null);
            if (path != null) {
              checked.put(file + ": " + name, path);
              assertThat(mountTargets.get(name)).as(file + ": " + name).contains(path);
            }
          }
        });
    assertThat(checked)
        .containsKeys(
            "docker-compose.yml: prometheus",
            "docker-compose.yml: alertmanager",
            "docker-compose.yml: loki",
            "docker-compose.yml: tempo",
            "docker-compose.yml: alloy",
            "docker-compose.yml: promtail",
            "docker-compose.prod.yml: prometheus",
            "docker-compose.prod.yml: alertmanager",
            "docker-compose.ha.yml: prometheus-b",
            "docker-compose.ha.yml: alertmanager",
            "docker-compose.ha.yml: alertmanager-b");
  }

  @Test
  void everyPrometheusAndAlertmanagerLinksToItsExternalUrl() {
    Pattern external = Pattern.compile("--web\\.external-url=\\$\\{([A-Z_]+)(:-|:\\?)(.+)}");
    String example = RepositoryFiles.read(STACK.resolve(".env.example"));
    Map<String, String> checked = new LinkedHashMap<>();
    forEachService(
        (file, name, service) -> {
          List<Object> command = list(service.get("command"));
          boolean linksBack = name.startsWith("prometheus") || name.startsWith("alertmanager");
          if (!linksBack || command.isEmpty()) {
            return;
          }
          List<String> flags =
              command.stream()
                  .map(Object::toString)
                  .filter((argument) -> argument.startsWith("--web.external-url="))
                  .toList();
          assertThat(flags).as(file + ": " + name).hasSize(1);
          var flag = external.matcher(flags.get(0));
          assertThat(flag.matches()).as(file + ": " + name + " " + flags).isTrue();
          assertThat(example).as(".env.example").containsPattern("(?m)^" + flag.group(1) + "=");
          if (file.equals("docker-compose.yml")) {
            // The dev default is where the dev file publishes the port.
            String[] port = list(service.get("ports")).get(0).toString().split(":");
            String published = port[port.length - 2];
            assertThat(flag.group(2) + flag.group(3))
                .as(file + ": " + name)
                .isEqualTo(":-http://127.0.0.1:" + published);
          } else {
            assertThat(flag.group(2)).as(file + ": " + name + " requires its URL").isEqualTo(":?");
          }
          checked.put(file + ": " + name, flag.group(1));
        });
    assertThat(checked)
        .containsEntry("docker-compose.yml: prometheus", "PROMETHEUS_EXTERNAL_URL")
        .containsEntry("docker-compose.yml: alertmanager", "ALERTMANAGER_EXTERNAL_URL")
        .containsEntry("docker-compose.prod.yml: prometheus", "PROMETHEUS_EXTERNAL_URL")
        .containsEntry("docker-compose.prod.yml: alertmanager", "ALERTMANAGER_EXTERNAL_URL")
        .containsEntry("docker-compose.ha.yml: prometheus-b", "PROMETHEUS_B_EXTERNAL_URL")
        .containsEntry("docker-compose.ha.yml: alertmanager", "ALERTMANAGER_EXTERNAL_URL")
        .containsEntry("docker-compose.ha.yml: alertmanager-b", "ALERTMANAGER_B_EXTERNAL_URL");
  }

  @Test
  void productionHasNoDefaultGrafanaPassword() {
    Map<String, Object> grafana = map(services("docker-compose.prod.yml").get("grafana"));
    assertThat(map(grafana.get("environment")).get("GF_SECURITY_ADMIN_PASSWORD"))
        .asString()
        .startsWith("${GRAFANA_ADMIN_PASSWORD:?");
    assertThat(RepositoryFiles.read(STACK.resolve(".env.example")))
        .containsPattern("(?m)^GRAFANA_ADMIN_PASSWORD=$")
        .containsPattern("(?m)^GRAFANA_DB_PASSWORD=$");
  }

  private static boolean isPinned(String image) {
    return image.equals(DEMO_IMAGE) || PINNED_IMAGE.matcher(image).matches();
  }

  private static String defaultOf(String value) {
    var overridable = OVERRIDABLE.matcher(value);
    return overridable.matches() ? overridable.group(1) : value;
  }

  private static void forEachService(ServiceVisitor visitor) {
    for (String file : COMPOSE_FILES) {
      services(file).forEach((name, service) -> visitor.visit(file, name, map(service)));
    }
  }

  private static List<Mount> mounts(Map<String, Object> service) {
    return list(service.get("volumes")).stream()
        .map((volume) -> Mount.parse(volume.toString()))
        .toList();
  }

  @FunctionalInterface
  private interface ServiceVisitor {
    void visit(String file, String name, Map<String, Object> service);
  }

  /** A compose short-syntax volume, {@code source:target[:mode]}. */
  record Mount(String source, String target, boolean readOnly) {

    static Mount parse(String spec) {
      String[] parts = spec.split(":");
      return new Mount(parts[0], parts[1], parts.length > 2 && parts[2].equals("ro"));
    }

    boolean isRepositoryPath() {
      return this.source.startsWith(".");
    }

    boolean isNamedVolume() {
      return !this.source.startsWith(".") && !this.source.startsWith("/");
    }

    @Override
    public String toString() {
      return this.source + ":" + this.target + (this.readOnly ? ":ro" : "");
    }
  }
}
