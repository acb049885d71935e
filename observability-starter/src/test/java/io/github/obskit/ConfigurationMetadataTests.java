package io.github.obskit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConfigurationMetadataTests {

  private static final Path METADATA =
      Path.of("target/classes/META-INF/spring-configuration-metadata.json");

  @Test
  void everyObservabilityPropertyHasADescription() throws Exception {
    List<String> names = new ArrayList<>();
    List<String> undocumented = new ArrayList<>();
    for (JsonNode property : properties()) {
      String name = property.get("name").asString();
      names.add(name);
      String description = property.path("description").asString("");
      if (description.isBlank() || description.contains("{@")) {
        undocumented.add(name);
      }
    }

    assertThat(names)
        .contains(
            "observability.metrics.enabled",
            "observability.metrics.env",
            "observability.metrics.slo-buckets",
            "observability.metrics.exclude-observability-paths",
            "observability.metrics.exclude-paths",
            "observability.prometheus.enabled",
            "observability.prometheus.path",
            "observability.logging.format",
            "observability.logging.max-line-size",
            "observability.logging.max-queued-size",
            "observability.web.request-id.enabled",
            "observability.web.request-id.header",
            "observability.web.access-log.enabled",
            "observability.web.access-log.exclude-paths",
            "observability.passenger.enabled",
            "observability.passenger.source",
            "observability.passenger.timeout",
            "observability.passenger.cache-ttl",
            "observability.passenger.per-process",
            "observability.passenger.simulator.scenario",
            "observability.passenger.command.line",
            "observability.passenger.socket.instance-dir",
            "observability.passenger.socket.instance-name",
            "observability.passenger.file.path",
            "observability.passenger.endpoint.enabled",
            "observability.passenger.endpoint.path",
            "observability.tracing.enabled",
            "observability.tracing.trace-id-header",
            "observability.slo.enabled",
            "observability.slo.availability.objective",
            "observability.slo.latency.objective",
            "observability.slo.latency.threshold",
            "observability.slo.latency.routes");
    // Besides its own namespace, only the switch Boot gives every health indicator, as Boot
    // declares it for its own (management.health.diskspace.enabled).
    assertThat(names)
        .allMatch(
            (name) ->
                name.startsWith("observability.")
                    || name.equals("management.health.logpipeline.enabled"));
    assertThat(undocumented).isEmpty();
  }

  private static JsonNode properties() throws Exception {
    JsonNode metadata = JsonMapper.builder().build().readTree(Files.readString(METADATA));
    return metadata.get("properties");
  }
}
