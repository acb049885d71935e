package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.STACK;
import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Processes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compose files as {@code docker-compose config} merges them for the combinations the README
 * tells users to run: valid, production hardened, the user's BACKEND_IMAGE never built over, and
 * the HA pairs wired to each other.
 */
class ComposeConfigIT {

  private static final String DEV = "docker-compose.yml";

  private static final String OVERRIDE = "docker-compose.override.yml";

  private static final String PROD = "docker-compose.prod.yml";

  private static final String HA = "docker-compose.ha.yml";

  private static final String USER_IMAGE = "registry.example.com/e2e-service:9.9.9";

  @AutoClose private final Processes processes = new Processes("compose-config");

  private final ComposeConfig compose = new ComposeConfig(processes);

  private final Path env = compose.filledEnvironment();

  static Stream<Arguments> combinationsAndWhetherTheyBuild() {
    return Stream.of(
        Arguments.of(List.of(), true),
        Arguments.of(List.of(DEV, OVERRIDE, PROD), true),
        Arguments.of(List.of(DEV), false),
        Arguments.of(List.of(DEV, PROD), false),
        Arguments.of(List.of(DEV, HA), false),
        Arguments.of(List.of(DEV, PROD, HA), false));
  }

  @Test
  void theDevFileIsValidWithoutAnEnvFile() {
    assertThat(compose.services(compose.emptyEnvironment(), DEV)).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {PROD, HA, PROD + " " + HA})
  void everyOverlayIsValidWithAnEnvFileFromTheExample(String overlays) {
    String[] files = (DEV + " " + overlays).split(" ");
    assertThat(compose.services(env, files)).isNotEmpty();
  }

  @Test
  void withoutFileArgumentsTheRepositoryBuildsTheBackendFromTheDemoDockerfile() {
    Map<String, Object> backend = map(compose.services(compose.emptyEnvironment()).get("backend"));
    assertThat(map(backend.get("build")).get("dockerfile")).isEqualTo("demo-app/Dockerfile");
    assertThat(backend.get("image").toString()).startsWith(ComposeConfig.DEMO_IMAGE_NAME);
  }

  // A build tags the image it runs: under BACKEND_IMAGE's name it would run the demo instead of
  // the user's service and overwrite the user's local tag.
  @ParameterizedTest
  @MethodSource("combinationsAndWhetherTheyBuild")
  void withBackendImageSetOnlyTheDemosOwnImageIsBuiltAndTheOthersRunTheUsersImage(
      List<String> files, boolean builds) {
    Map<String, Object> services =
        compose.services(
            STACK, env, Map.of("BACKEND_IMAGE", USER_IMAGE), files.toArray(String[]::new));
    assertThat(ComposeConfig.buildsUnderAnotherName(services)).isEmpty();
    Map<String, Object> backend = map(services.get("backend"));
    if (builds) {
      assertThat(backend).containsKey("build");
    } else {
      assertThat(backend).doesNotContainKey("build");
      assertThat(backend.get("image")).isEqualTo(USER_IMAGE);
    }
  }

  @Test
  void theBuildTagCheckRejectsAnOverrideThatBuildsUnderBackendImagesName() {
    Path unpinned =
        compose.write(
            "override-unpinned.yml",
            RepositoryFiles.read(STACK.resolve(OVERRIDE)).replaceAll("(?m)^    image:.*\\n", ""));
    Map<String, Object> services =
        compose.services(STACK, env, Map.of("BACKEND_IMAGE", USER_IMAGE), DEV, unpinned.toString());
    assertThat(ComposeConfig.buildsUnderAnotherName(services))
        .containsExactly("backend builds and tags " + USER_IMAGE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"GRAFANA_ADMIN_PASSWORD", "PROMETHEUS_EXTERNAL_URL", "ALERTMANAGER_EXTERNAL_URL"})
  void productionRefusesToStartWithoutARequiredValueNamingIt(String variable) {
    Path without =
        compose.write(
            "without.env", RepositoryFiles.read(env).replaceAll("(?m)^" + variable + "=.*\\n", ""));
    Processes.Finished config = compose.run(STACK, without, Map.of(), DEV, PROD);
    assertThat(config.exitCode()).isNotZero();
    assertThat(config.stderr()).contains(variable);
  }

  @Test
  void devLinksPrometheusAndAlertmanagerToTheirPublishedPortsOnLoopback() {
    Map<String, Object> services = compose.services(compose.emptyEnvironment(), DEV);
    assertThat(externalUrl(services, "prometheus")).isEqualTo("http://127.0.0.1:9090");
    assertThat(externalUrl(services, "alertmanager")).isEqualTo("http://127.0.0.1:9093");
  }

  @Test
  void productionWithHaLinksEachPrometheusAndAlertmanagerToItsOwnUrlFromTheEnvFile() {
    Map<String, Object> services = compose.services(env, DEV, PROD, HA);
    assertThat(externalUrl(services, "prometheus")).isEqualTo("https://prometheus.e2e.example");
    assertThat(externalUrl(services, "prometheus-b")).isEqualTo("https://prometheus-b.e2e.example");
    assertThat(externalUrl(services, "alertmanager")).isEqualTo("https://alertmanager.e2e.example");
    assertThat(externalUrl(services, "alertmanager-b"))
        .isEqualTo("https://alertmanager-b.e2e.example");
  }

  @ParameterizedTest
  @ValueSource(strings = {PROD, PROD + " " + HA})
  void productionPublishesOnlyGrafanaBeyondLoopbackRestartsLimitsMemoryAndKeepsThirtyDays(
      String overlays) {
    String[] files = (DEV + " " + overlays).split(" ");
    assertThat(ComposeConfig.productionProblems(compose.services(env, files))).isEmpty();
  }

  @Test
  void theProductionCheckRejectsTheDevFile() {
    assertThat(ComposeConfig.productionProblems(compose.services(compose.emptyEnvironment(), DEV)))
        .contains("prometheus has no restart policy", "prometheus has no memory limit");
  }

  @Test
  void devWithAnEnvFileFromTheExamplePublishesEveryPortOnLoopback() {
    assertThat(ComposeConfig.publishedBeyondLoopback(compose.services(env, DEV))).isEmpty();
  }

  @Test
  void grafanaBindAddressOpensGrafanaBeyondLoopbackAsDocumentedForProduction() {
    Map<String, Object> services =
        compose.services(STACK, env, Map.of("GRAFANA_BIND_ADDRESS", "0.0.0.0"), DEV);
    assertThat(ComposeConfig.publishedBeyondLoopback(services))
        .singleElement()
        .asString()
        .startsWith("grafana on 0.0.0.0:");
  }

  @Test
  void haRunsTwoPeeredAlertmanagersOfOneImageAndTwoPrometheusesOnTheHaConfig() {
    Map<String, Object> services = compose.services(env, DEV, PROD, HA);
    for (String[] pair :
        List.of(
            new String[] {"alertmanager", "alertmanager-b"},
            new String[] {"alertmanager-b", "alertmanager"})) {
      assertThat(list(map(services.get(pair[0])).get("command")))
          .as("%s peers with %s", pair[0], pair[1])
          .contains("--cluster.peer=" + pair[1] + ":9094", "--cluster.listen-address=0.0.0.0:9094");
    }
    assertThat(map(services.get("alertmanager")).get("image"))
        .isEqualTo(map(services.get("alertmanager-b")).get("image"));
    for (String name : List.of("prometheus", "prometheus-b")) {
      assertThat(list(map(services.get(name)).get("volumes")))
          .map(Object::toString)
          .filteredOn((volume) -> volume.split(":")[1].equals("/etc/prometheus/prometheus.yml"))
          .as("%s's config mount", name)
          .singleElement()
          .satisfies(
              (volume) ->
                  assertThat(volume.split(":")[0]).endsWith("/prometheus/prometheus-ha.yml"));
    }
  }

  @Test
  void theHealthScriptChecksTheSecondInstancesWhereComposePublishesThem() {
    Map<String, Object> services = compose.services(env, DEV, PROD, HA);
    String health = RepositoryFiles.read(STACK.resolve("scripts/health.sh"));
    for (String[] instance :
        List.of(
            new String[] {"prometheus-b", "PROMETHEUS_B_URL"},
            new String[] {"alertmanager-b", "ALERTMANAGER_B_URL"})) {
      String port = ComposeConfig.ports(map(services.get(instance[0]))).get(0);
      String published = port.substring(0, port.lastIndexOf(':'));
      assertThat(health).contains("${" + instance[1] + ":-http://" + published + "/-/ready}");
    }
  }

  private static String externalUrl(Map<String, Object> services, String name) {
    List<String> flags =
        list(map(services.get(name)).get("command")).stream()
            .map(Object::toString)
            .filter((argument) -> argument.startsWith("--web.external-url="))
            .toList();
    assertThat(flags).as("%s's --web.external-url", name).hasSize(1);
    return flags.get(0).substring("--web.external-url=".length());
  }
}
