package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.DASHBOARDS_MODULE;
import static io.github.obskit.stack.RepositoryFiles.STACK;
import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;
import static io.github.obskit.stack.RepositoryFiles.services;
import static io.github.obskit.stack.RepositoryFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every host name a config file sends traffic to is a compose service, on the port the service
 * listens on.
 */
class ConfigReferenceTests {

  private final Map<String, Object> devServices = services("docker-compose.yml");

  @Test
  void everyPrometheusTargetAndAlertmanagerIsAComposeService() {
    assertTargetsAreServices("prometheus/prometheus.yml", this.devServices);
  }

  @Test
  void everyTargetAndAlertmanagerOfTheHaConfigIsAServiceOfTheHaStack() {
    // Services of the HA overlay that the dev file already defines keep their dev ports.
    Map<String, Object> haStack = new LinkedHashMap<>(services("docker-compose.ha.yml"));
    haStack.putAll(this.devServices);
    assertTargetsAreServices("prometheus/prometheus-ha.yml", haStack);
  }

  private static void assertTargetsAreServices(String configFile, Map<String, Object> stack) {
    Map<String, Object> config = yaml(STACK.resolve(configFile));
    List<String> targets = new ArrayList<>();
    for (Object job : list(config.get("scrape_configs"))) {
      targets.addAll(staticTargets(map(job)));
    }
    for (Object alertmanager : list(map(config.get("alerting")).get("alertmanagers"))) {
      targets.addAll(staticTargets(map(alertmanager)));
    }
    assertThat(targets).hasSizeGreaterThanOrEqualTo(5);
    for (String target : targets) {
      String host = target.substring(0, target.indexOf(':'));
      if (!host.equals("localhost")) {
        assertThat(stack).as(configFile + ": " + target).containsKey(host);
        assertThat(publishedContainerPort(stack, host))
            .as(configFile + ": " + target)
            .isEqualTo(target.substring(host.length() + 1));
      }
    }
  }

  @Test
  void everyGrafanaDatasourceIsAComposeService() throws IOException {
    List<Map<String, Object>> datasources = new ArrayList<>();
    try (Stream<Path> files = Files.list(DASHBOARDS_MODULE.resolve("provisioning/datasources"))) {
      for (Path file : files.filter((f) -> f.toString().endsWith(".yml")).toList()) {
        list(yaml(file).get("datasources"))
            .forEach((datasource) -> datasources.add(map(datasource)));
      }
    }
    Map<String, String> urlByUid = new LinkedHashMap<>();
    datasources.forEach(
        (datasource) ->
            urlByUid.put((String) datasource.get("uid"), (String) datasource.get("url")));
    assertThat(urlByUid)
        .containsEntry("prometheus", "http://prometheus:9090")
        .containsEntry("loki", "http://loki:3100")
        .containsEntry("tempo", "http://tempo:3200");
    urlByUid.values().forEach(this::assertIsComposeService);
  }

  @Test
  void bothShippersPushToLokiAndReadTheMountedDockerSocket() {
    LogPipelines.Pipeline alloy = LogPipelines.alloy();
    LogPipelines.Pipeline promtail = LogPipelines.promtail();
    for (LogPipelines.Pipeline pipeline : List.of(alloy, promtail)) {
      assertThat(pipeline.lokiUrls())
          .as(pipeline.name())
          .containsExactly("http://loki:3100/loki/api/v1/push");
      pipeline.lokiUrls().forEach(this::assertIsComposeService);
      String socket = URI.create(pipeline.dockerHost()).getPath();
      List<Object> volumes = list(map(this.devServices.get(pipeline.name())).get("volumes"));
      assertThat(volumes).as(pipeline.name()).contains(socket + ":" + socket + ":ro");
    }
  }

  @Test
  void bothShippersAreToldTheProjectNameComposeGivesTheirContainers() {
    for (String shipper : List.of("alloy", "promtail")) {
      // The same default as compose's own: the name of the folder holding docker-compose.yml.
      assertThat(map(map(this.devServices.get(shipper)).get("environment")))
          .as(shipper)
          .containsEntry(
              "COMPOSE_PROJECT_NAME", "${COMPOSE_PROJECT_NAME:-" + STACK.getFileName() + "}");
    }
    assertThat(list(map(this.devServices.get("promtail")).get("command")))
        .as("Promtail reads ${...} only with expand-env")
        .contains("-config.expand-env=true");
    assertThat(RepositoryFiles.read(STACK.resolve(".env.example")))
        .containsPattern("(?m)^COMPOSE_PROJECT_NAME=[a-z0-9][a-z0-9_-]*$");
  }

  @Test
  void prometheusLoadsTheRuleLibraryFromWhereComposeMountsIt() throws IOException {
    List<Object> ruleFiles =
        list(yaml(STACK.resolve("prometheus/prometheus.yml")).get("rule_files"));
    assertThat(ruleFiles).containsExactly("/etc/prometheus/rules/*.rules.yml");
    assertThat(list(map(this.devServices.get("prometheus")).get("volumes")))
        .contains("../grafana-dashboards/rules:/etc/prometheus/rules:ro");
    try (Stream<Path> files = Files.list(DASHBOARDS_MODULE.resolve("rules"))) {
      assertThat(
              files
                  .map((file) -> file.getFileName().toString())
                  .filter((n) -> n.endsWith(".rules.yml")))
          .containsExactlyInAnyOrder(
              "passenger.rules.yml",
              "http.rules.yml",
              "jvm.rules.yml",
              "platform.rules.yml",
              "fleet.rules.yml");
    }
  }

  @Test
  void prometheusScrapesTheContractsJobs() {
    Map<String, Object> config = yaml(STACK.resolve("prometheus/prometheus.yml"));
    assertThat(map(config.get("global"))).containsEntry("scrape_interval", "3s");
    Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
    list(config.get("scrape_configs"))
        .forEach((job) -> jobs.put((String) map(job).get("job_name"), map(job)));
    assertThat(jobs).containsOnlyKeys("prometheus", "alertmanager", "backend", "passenger");
    assertThat(jobs.get("backend"))
        .containsEntry("metrics_path", "/metrics")
        .doesNotContainKey("scrape_interval");
    assertThat(staticTargets(jobs.get("backend"))).containsExactly("backend:8080");
    assertThat(jobs.get("passenger"))
        .containsEntry("metrics_path", "/passenger_metrics")
        .containsEntry("scrape_interval", "15s");
    assertThat(staticTargets(jobs.get("passenger"))).containsExactly("backend:8080");
  }

  @Test
  void lokiKeepsSevenDaysOnTsdbSchemaV13() {
    Map<String, Object> loki = yaml(STACK.resolve("loki/loki.yml"));
    List<Object> schemas = list(map(loki.get("schema_config")).get("configs"));
    assertThat(schemas).hasSize(1);
    assertThat(map(schemas.get(0)))
        .containsEntry("store", "tsdb")
        .containsEntry("schema", "v13")
        .containsEntry("object_store", "filesystem");
    assertThat(map(loki.get("limits_config"))).containsEntry("retention_period", "168h");
    assertThat(map(loki.get("compactor")))
        .containsEntry("retention_enabled", true)
        .containsEntry("delete_request_store", "filesystem");
    assertThat(list(map(this.devServices.get("loki")).get("volumes")))
        .contains("./loki/loki.yml:/etc/loki/loki.yml:ro", "loki-data:/loki");
  }

  private void assertIsComposeService(String url) {
    URI uri = URI.create(url);
    assertThat(this.devServices).as(url).containsKey(uri.getHost());
    assertThat(publishedContainerPort(uri.getHost()))
        .as(url)
        .isEqualTo(String.valueOf(uri.getPort()));
  }

  private String publishedContainerPort(String service) {
    return publishedContainerPort(this.devServices, service);
  }

  private static String publishedContainerPort(Map<String, Object> stack, String service) {
    String spec = list(map(stack.get(service)).get("ports")).get(0).toString();
    return spec.substring(spec.lastIndexOf(':') + 1);
  }

  static List<String> staticTargets(Map<String, Object> config) {
    List<String> targets = new ArrayList<>();
    for (Object staticConfig : list(config.get("static_configs"))) {
      list(map(staticConfig).get("targets")).forEach((target) -> targets.add(target.toString()));
    }
    return targets;
  }
}
