package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks the documented resource paths of the jar and the provisioning values docs/CONTRACT.md
 * fixes.
 */
class PackagingTests {

  private static final String GRAFANA = "META-INF/obskit/grafana/";

  private static final String RULES = "META-INF/obskit/prometheus/rules/";

  private final YAMLMapper yaml = new YAMLMapper();

  @Test
  void packagesDashboardsProvisioningAndRulesUnderMetaInfObskit() {
    List<String> resources =
        List.of(
            GRAFANA + "dashboards/example-dashboard.json",
            GRAFANA + "dashboards/passenger-monitoring.json",
            GRAFANA + "dashboards/monitoring-dashboard.json",
            GRAFANA + "provisioning/datasources/datasources.yml",
            GRAFANA + "provisioning/dashboards/dashboards.yml",
            RULES + "passenger.rules.yml",
            RULES + "http.rules.yml",
            RULES + "jvm.rules.yml",
            RULES + "platform.rules.yml",
            RULES + "fleet.rules.yml",
            RULES + "README.md");
    assertThat(resources)
        .allSatisfy(
            (resource) ->
                assertThat(getClass().getClassLoader().getResource(resource))
                    .as(resource)
                    .isNotNull());
  }

  @Test
  void provisionsPrometheusLokiAndTempoWithTheContractUidsAndServiceUrls() throws IOException {
    JsonNode datasources =
        readYaml(GRAFANA + "provisioning/datasources/datasources.yml").path("datasources");
    Map<String, String> urlByUid =
        datasources.values().stream()
            .collect(
                Collectors.toMap(
                    (ds) -> ds.path("uid").asString(""), (ds) -> ds.path("url").asString("")));
    assertThat(urlByUid)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "prometheus",
                "http://prometheus:9090",
                "loki",
                "http://loki:3100",
                "tempo",
                "http://tempo:3200"));
    assertThat(datasources.values())
        .filteredOn((ds) -> ds.path("isDefault").asBoolean(false))
        .extracting((ds) -> ds.path("uid").asString(""))
        .containsExactly("prometheus");
  }

  @Test
  void loadsDashboardsFromTheFolderTheStackMounts() throws IOException {
    JsonNode providers =
        readYaml(GRAFANA + "provisioning/dashboards/dashboards.yml").path("providers");
    assertThat(providers.values())
        .singleElement()
        .satisfies(
            (provider) -> {
              assertThat(provider.path("type").asString("")).isEqualTo("file");
              assertThat(provider.path("options").path("path").asString(""))
                  .isEqualTo("/var/lib/grafana/dashboards");
            });
  }

  private JsonNode readYaml(String resource) throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return this.yaml.readTree(in);
    }
  }
}
