package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.COMPOSE_FILES;
import static io.github.obskit.stack.RepositoryFiles.DASHBOARDS_MODULE;
import static io.github.obskit.stack.RepositoryFiles.STACK;
import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;
import static io.github.obskit.stack.RepositoryFiles.services;
import static io.github.obskit.stack.RepositoryFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.stack.AlloySyntax.Block;
import io.github.obskit.stack.AlloySyntax.Reference;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The trace path of the stack, checked link by link: backend → Alloy (OTLP/HTTP) → Tempo
 * (OTLP/gRPC) → Grafana, Prometheus' exemplars, and the Grafana datasources' links between metrics,
 * logs and traces.
 */
class TracingConfigTests {

  private final Map<String, Object> dev = services("docker-compose.yml");

  private final Map<String, Object> tempo = yaml(STACK.resolve("tempo/tempo.yml"));

  private final Block alloy =
      AlloySyntax.parse(RepositoryFiles.read(STACK.resolve("alloy/config.alloy")));

  private final Map<String, Map<String, Object>> datasources = datasourcesByUid();

  @Test
  void tempoReceivesOtlpOnAllInterfacesOfItsContainer() {
    Map<String, Object> protocols =
        map(
            map(map(map(this.tempo.get("distributor")).get("receivers")).get("otlp"))
                .get("protocols"));
    assertThat(map(protocols.get("grpc"))).containsEntry("endpoint", "0.0.0.0:4317");
    assertThat(map(protocols.get("http"))).containsEntry("endpoint", "0.0.0.0:4318");
  }

  @Test
  void tempoServesGrafanaOnItsPublishedPortAndStoresTracesInItsVolume() {
    assertThat(map(this.tempo.get("server"))).containsEntry("http_listen_port", 3200);
    assertThat(list(map(this.dev.get("tempo")).get("ports")))
        .containsExactly("${BIND_ADDRESS:-127.0.0.1}:3200:3200");
    Map<String, Object> trace = map(map(this.tempo.get("storage")).get("trace"));
    assertThat(trace).containsEntry("backend", "local");
    assertThat(
            List.of(
                (String) map(trace.get("wal")).get("path"),
                (String) map(trace.get("local")).get("path")))
        .allSatisfy((path) -> assertThat(path).startsWith("/var/tempo/"));
    assertThat(list(map(this.dev.get("tempo")).get("volumes")))
        .contains("./tempo/tempo.yml:/etc/tempo/tempo.yml:ro", "tempo-data:/var/tempo");
    assertThat(list(map(this.dev.get("tempo")).get("command")))
        .containsExactly("-config.file=/etc/tempo/tempo.yml");
  }

  @Test
  void theBackendExportsToAlloysOtlpHttpReceiver() {
    String endpoint =
        (String)
            map(map(this.dev.get("backend")).get("environment")).get("OTEL_EXPORTER_OTLP_ENDPOINT");
    assertThat(endpoint).isEqualTo("${BACKEND_OTLP_ENDPOINT:-http://alloy:4318}");
    URI alloyUri =
        URI.create(endpoint.substring(endpoint.indexOf(":-") + 2, endpoint.length() - 1));
    assertThat(this.dev).containsKey(alloyUri.getHost());
    Block receiver = this.alloy.children("otelcol.receiver.otlp").findFirst().orElseThrow();
    assertThat(receiver.children("http").findFirst().orElseThrow().attributes())
        .containsEntry("endpoint", "0.0.0.0:" + alloyUri.getPort());
  }

  @Test
  void alloyForwardsTheSpansThroughABatchToTempoOverOtlpGrpc() {
    Block receiver = this.alloy.children("otelcol.receiver.otlp").findFirst().orElseThrow();
    Block batch = this.alloy.children("otelcol.processor.batch").findFirst().orElseThrow();
    Block exporter = this.alloy.children("otelcol.exporter.otlp").findFirst().orElseThrow();
    assertThat(traceOutputs(receiver))
        .containsExactly("otelcol.processor.batch." + batch.label() + ".input");
    assertThat(traceOutputs(batch))
        .containsExactly("otelcol.exporter.otlp." + exporter.label() + ".input");
    Block client = exporter.children("client").findFirst().orElseThrow();
    String tempoGrpc =
        (String)
            map(map(map(map(map(this.tempo.get("distributor")).get("receivers")).get("otlp"))
                        .get("protocols"))
                    .get("grpc"))
                .get("endpoint");
    assertThat(client.attributes())
        .containsEntry("endpoint", "tempo:" + tempoGrpc.substring(tempoGrpc.indexOf(':') + 1));
    assertThat(this.dev).containsKey("tempo");
    assertThat(client.children("tls").findFirst().orElseThrow().attributes())
        .containsEntry("insecure", new Reference("true"));
  }

  @Test
  void everyPrometheusStoresExemplars() {
    Map<String, List<Object>> commands = new LinkedHashMap<>();
    for (String file : COMPOSE_FILES) {
      services(file)
          .forEach(
              (name, service) -> {
                List<Object> command = list(map(service).get("command"));
                if (name.startsWith("prometheus") && !command.isEmpty()) {
                  commands.put(file + ": " + name, command);
                }
              });
    }
    assertThat(commands)
        .containsKeys(
            "docker-compose.yml: prometheus",
            "docker-compose.prod.yml: prometheus",
            "docker-compose.ha.yml: prometheus-b")
        .allSatisfy(
            (service, command) ->
                assertThat(command).as(service).contains("--enable-feature=exemplar-storage"));
  }

  @Test
  void prometheusExemplarsLinkTheirTraceIdToTempo() {
    List<Object> destinations = list(jsonData("prometheus").get("exemplarTraceIdDestinations"));
    assertThat(destinations).hasSize(1);
    assertThat(map(destinations.get(0)))
        .containsEntry("name", "trace_id")
        .containsEntry("datasourceUid", "tempo")
        .containsEntry("urlDisplayLabel", "View trace");
  }

  @Test
  void lokiLinksTheShippersTraceIdMetadataToTempo() {
    List<Object> derivedFields = list(jsonData("loki").get("derivedFields"));
    assertThat(derivedFields).hasSize(1);
    assertThat(map(derivedFields.get(0)))
        .containsEntry("matcherType", "label")
        .containsEntry("matcherRegex", LogPipelines.TRACE_ID)
        .containsEntry("datasourceUid", "tempo")
        // $$ is Grafana's escape for a literal $ in provisioning files.
        .containsEntry("url", "$${__value.raw}");
    for (LogPipelines.Pipeline pipeline : List.of(LogPipelines.alloy(), LogPipelines.promtail())) {
      assertThat(pipeline.structuredMetadataFromExtracted())
          .as(pipeline.name())
          .containsKey(LogPipelines.TRACE_ID);
    }
  }

  @Test
  void tempoLinksTracesToTheirLogsWithATimeShiftForLateLines() {
    Map<String, Object> tracesToLogs = map(jsonData("tempo").get("tracesToLogsV2"));
    assertThat(tracesToLogs)
        .containsEntry("datasourceUid", "loki")
        .containsEntry("customQuery", true)
        .containsEntry("spanStartTimeShift", "-5m")
        .containsEntry("spanEndTimeShift", "5m");
    assertThat((String) tracesToLogs.get("query"))
        .contains("| " + LogPipelines.TRACE_ID + "=\"$${__trace.traceId}\"")
        .startsWith("{service=~\".+\"}");
  }

  @Test
  void tempoLinksTracesToTheRequestMetricsOfTheirApplication() {
    Map<String, Object> tracesToMetrics = map(jsonData("tempo").get("tracesToMetrics"));
    assertThat(tracesToMetrics).containsEntry("datasourceUid", "prometheus");
    assertThat(list(tracesToMetrics.get("tags")))
        .containsExactly(Map.of("key", "service.name", "value", "application"));
    assertThat(list(tracesToMetrics.get("queries")))
        .isNotEmpty()
        .allSatisfy(
            (query) ->
                assertThat((String) map(query).get("query"))
                    .contains("http_server_requests_seconds_")
                    .contains("{$$__tags}"));
  }

  @Test
  void everyDatasourceLinkNamesAProvisionedDatasource() {
    List<String> linked = new ArrayList<>();
    this.datasources
        .values()
        .forEach((datasource) -> collectUids(datasource.get("jsonData"), linked));
    assertThat(linked).contains("tempo", "loki", "prometheus");
    assertThat(this.datasources).containsKeys(linked.toArray(String[]::new));
  }

  private Map<String, Object> jsonData(String uid) {
    return map(this.datasources.get(uid).get("jsonData"));
  }

  private static List<String> traceOutputs(Block component) {
    return list(component.children("output").findFirst().orElseThrow().attributes().get("traces"))
        .stream()
        .map((output) -> ((Reference) output).text())
        .toList();
  }

  private static void collectUids(Object node, List<String> uids) {
    if (node instanceof Map<?, ?> object) {
      object.forEach(
          (key, value) -> {
            if ("datasourceUid".equals(key)) {
              uids.add((String) value);
            }
            collectUids(value, uids);
          });
    } else if (node instanceof List<?> items) {
      items.forEach((item) -> collectUids(item, uids));
    }
  }

  private static Map<String, Map<String, Object>> datasourcesByUid() {
    Map<String, Map<String, Object>> byUid = new LinkedHashMap<>();
    list(yaml(DASHBOARDS_MODULE.resolve("provisioning/datasources/datasources.yml"))
            .get("datasources"))
        .forEach((datasource) -> byUid.put((String) map(datasource).get("uid"), map(datasource)));
    return byUid;
  }
}
