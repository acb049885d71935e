package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.STACK;
import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;
import static io.github.obskit.stack.RepositoryFiles.services;
import static io.github.obskit.stack.RepositoryFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HA overlay: two of each stateful monitoring service, each pair wired both ways. */
class HighAvailabilityTests {

  private static final String HA_CONFIG = "./prometheus/prometheus-ha.yml";

  private final Map<String, Object> dev = services("docker-compose.yml");

  private final Map<String, Object> ha = services("docker-compose.ha.yml");

  @Test
  void twoAlertmanagersOfTheSameImagePeerWithEachOtherOnTheClusterPort() {
    Map<String, Object> first = map(this.ha.get("alertmanager"));
    Map<String, Object> second = map(this.ha.get("alertmanager-b"));
    assertThat(second.get("image")).isEqualTo(map(this.dev.get("alertmanager")).get("image"));
    assertThat(list(first.get("command")))
        .contains("--cluster.listen-address=0.0.0.0:9094", "--cluster.peer=alertmanager-b:9094");
    assertThat(list(second.get("command")))
        .contains("--cluster.listen-address=0.0.0.0:9094", "--cluster.peer=alertmanager:9094");
    // The overlay replaces the dev command, so it must repeat every dev flag. The external URL is
    // the exception: the overlay requires one instead of defaulting to 127.0.0.1.
    List<Object> devFlags =
        list(map(this.dev.get("alertmanager")).get("command")).stream()
            .filter((flag) -> !flag.toString().startsWith("--web.external-url="))
            .toList();
    assertThat(devFlags).isNotEmpty();
    assertThat(list(first.get("command"))).containsAll(devFlags);
    assertThat(list(second.get("command"))).containsAll(devFlags);
    assertThat(list(second.get("volumes")))
        .contains("./alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro");
  }

  @Test
  void bothReplicasOfTheSameImageLoadTheHaConfig() {
    String mount = HA_CONFIG + ":/etc/prometheus/prometheus.yml:ro";
    assertThat(list(map(this.ha.get("prometheus")).get("volumes"))).contains(mount);
    assertThat(list(map(this.ha.get("prometheus-b")).get("volumes"))).contains(mount);
    assertThat(map(this.ha.get("prometheus-b")).get("image"))
        .isEqualTo(map(this.dev.get("prometheus")).get("image"));
  }

  @Test
  void everyReplicaSendsAlertsToBothAlertmanagers() {
    Map<String, Object> config = yaml(STACK.resolve("prometheus/prometheus-ha.yml"));
    List<Object> alertmanagers = list(map(config.get("alerting")).get("alertmanagers"));
    assertThat(alertmanagers).hasSize(1);
    assertThat(ConfigReferenceTests.staticTargets(map(alertmanagers.get(0))))
        .containsExactly("alertmanager:9093", "alertmanager-b:9093");
    assertThat(ConfigReferenceTests.staticTargets(jobs(config).get("alertmanager")))
        .containsExactly("alertmanager:9093", "alertmanager-b:9093");
  }

  @Test
  void everyReplicaScrapesBothReplicasSoThatADeadOneIsATargetDown() {
    Map<String, Object> config = yaml(STACK.resolve("prometheus/prometheus-ha.yml"));
    assertThat(ConfigReferenceTests.staticTargets(jobs(config).get("prometheus")))
        .containsExactly("prometheus:9090", "prometheus-b:9090");
  }

  @Test
  void theHaConfigDiffersFromTheSingleOneOnlyInItsTargetsOfThePairs() {
    Map<String, Object> single = yaml(STACK.resolve("prometheus/prometheus.yml"));
    Map<String, Object> ha = yaml(STACK.resolve("prometheus/prometheus-ha.yml"));
    // Nothing may differ once the single instance's targets are put back where the HA config
    // lists two.
    map(ha.get("alerting")).put("alertmanagers", map(single.get("alerting")).get("alertmanagers"));
    Map<String, Map<String, Object>> haJobs = jobs(ha);
    jobs(single)
        .forEach(
            (name, job) -> {
              if (List.of("prometheus", "alertmanager").contains(name)) {
                haJobs.get(name).put("static_configs", job.get("static_configs"));
              }
            });
    assertThat(ha).isEqualTo(single);
  }

  private static Map<String, Map<String, Object>> jobs(Map<String, Object> config) {
    Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
    list(config.get("scrape_configs"))
        .forEach((job) -> jobs.put((String) map(job).get("job_name"), map(job)));
    return jobs;
  }
}
