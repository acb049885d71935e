package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.github.obskit.e2e.Http;
import io.github.obskit.e2e.Ports;
import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.PrometheusRelease;
import io.github.obskit.e2e.Tools;
import io.github.obskit.e2e.Waits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The rule library and the dashboards against real programs: two demos (Passenger simulator
 * overloaded, and a healthy Passenger host), and for every {@link PrometheusRelease} a Prometheus
 * with the stack's prometheus.yml and an Alertmanager with the stack's alertmanager.yml, both
 * rewritten to loopback test ports, and a webhook receiver in this test. Both releases scrape the
 * same demos side by side (the demos' start is the slow part). On each, every target is up, every
 * rule evaluates, every dashboard query returns data, alerts reach their receivers and the inhibit
 * rules silence only what they should.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class MonitoringPipelineIT {

  private static final Path STACK = Path.of("..", "stack");

  private static final JsonMapper json = JsonMapper.builder().build();

  @AutoClose private final Processes processes = new Processes("monitoring-pipeline");

  private final Map<PrometheusRelease, Pipeline> pipelines = new EnumMap<>(PrometheusRelease.class);

  private final int appPort = Ports.free();

  private final int healthyPort = Ports.free();

  private final URI app = URI.create("http://127.0.0.1:" + appPort);

  private Processes.Started overloadedDemo;

  @BeforeAll
  void startTheDemosAndEachReleasesPrometheusAndAlertmanager() throws IOException {
    Path rules = shortenedRules(processes.directory().resolve("rules"));
    Path jar = Tools.builtFile("obskit.demo.jar");
    overloadedDemo = startDemo("overloaded-demo", jar, appPort, "overloaded");
    Processes.Started healthyDemo = startDemo("healthy-demo", jar, healthyPort, "normal");
    for (PrometheusRelease release : PrometheusRelease.values()) {
      Pipeline pipeline = new Pipeline(release);
      pipelines.put(release, pipeline);
      pipeline.start(rules);
    }
    overloadedDemo.awaitOk(app.resolve("/actuator/health"), Waits.PROCESS);
    healthyDemo.awaitOk(
        URI.create("http://127.0.0.1:" + healthyPort + "/actuator/health"), Waits.PROCESS);
    for (Pipeline pipeline : pipelines.values()) {
      pipeline.awaitReady();
    }
    driveTraffic(30);
  }

  @AfterAll
  void stopTheWebhooks() {
    pipelines.values().forEach(Pipeline::stopWebhook);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  @Order(1)
  void everyTargetIsUpTheHealthyPassengerHostToo(PrometheusRelease release) {
    PrometheusProcess prometheus = pipelines.get(release).prometheus;
    // Without the healthy host scraped, "fires for the overloaded host only" would prove nothing.
    await("every target up")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        prometheus.data("/api/v1/targets").path("activeTargets").values().stream()
                            .map(
                                (target) ->
                                    target.path("labels").path("job").asString()
                                        + "="
                                        + target.path("health").asString()
                                        + " "
                                        + target.path("lastError").asString(""))
                            .map(String::strip)
                            .sorted())
                    .containsExactly(
                        "alertmanager=up",
                        "backend=up",
                        "passenger=up",
                        "passenger=up",
                        "prometheus=up"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  @Order(2)
  void everyRuleIsLoadedAndEvaluatesWithoutError(PrometheusRelease release) throws IOException {
    PrometheusProcess prometheus = pipelines.get(release).prometheus;
    // http-long-windows runs every minute: its first evaluation may come a minute after loading.
    JsonNode groups =
        await("a first evaluation of every rule")
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> prometheus.data("/api/v1/rules").path("groups"),
                (loaded) ->
                    rules(loaded).stream()
                        .noneMatch(
                            (rule) -> rule.path("lastEvaluation").asString().startsWith("0001")));
    List<String> shipped = new ArrayList<>();
    for (Path file : PromtoolRulesIT.files(Path.of("rules"), ".rules.yml")) {
      new YAMLMapper()
          .readTree(file.toFile())
          .path("groups")
          .forEach((group) -> shipped.add(group.path("name").asString()));
    }
    assertThat(groups.valueStream().map((group) -> group.path("name").asString()))
        .containsExactlyInAnyOrderElementsOf(shipped);
    assertThat(rules(groups))
        .filteredOn((rule) -> !rule.path("health").asString().equals("ok"))
        .extracting((rule) -> rule.path("name").asString() + ": " + rule.path("lastError"))
        .isEmpty();
  }

  // Proves among others that the latency SLO's bucket le="0.5" exists in the demo's real histogram
  // (an absent bucket would leave the ratio and the latency alerts silently empty), and that the
  // recordings keep the demos' env, so environments are never added together.
  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  @Order(3)
  void everyRecordingRuleReturnsDataWithTheDemosEnvironment(PrometheusRelease release) {
    PrometheusProcess prometheus = pipelines.get(release).prometheus;
    List<String> recordings =
        rules(prometheus.data("/api/v1/rules").path("groups")).stream()
            .filter((rule) -> rule.path("type").asString().equals("recording"))
            .map((rule) -> rule.path("name").asString())
            .toList();
    assertThat(recordings).isNotEmpty();
    await("every recording rule to return data")
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(recordings)
                    .as("recordings without a series of env=\"e2e\"")
                    .allSatisfy(
                        (name) ->
                            assertThat(prometheus.query(name).values())
                                .anySatisfy(
                                    (series) ->
                                        assertThat(series.path("metric").path("env").asString(""))
                                            .isEqualTo("e2e"))));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  @Order(4)
  void everyDashboardQueryAndVariableReturnsData(PrometheusRelease release) {
    PrometheusProcess prometheus = pipelines.get(release).prometheus;
    assertThat(Dashboards.files()).isNotEmpty();
    driveTraffic(10);
    await("every dashboard query to return data")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              driveTraffic(1);
              assertThat(emptyDashboardQueries(prometheus)).isEmpty();
            });
  }

  // No Loki here: the fields and levels the Loki panels filter on must occur in the JSON lines the
  // demo wrote, so that a renamed log field cannot leave the log panels empty.
  @Test
  @Order(5)
  void lokiPanelsFilterOnFieldsAndLevelsTheDemoReallyLogs() {
    List<JsonNode> lines =
        overloadedDemo
            .output()
            .lines()
            .filter((line) -> line.startsWith("{"))
            .map(json::readTree)
            .toList();
    assertThat(lines).as("JSON lines of the demo (%s)", overloadedDemo.log()).isNotEmpty();
    Set<String> fields = new HashSet<>();
    lines.forEach((line) -> fields.addAll(line.propertyNames()));
    Set<String> levels =
        lines.stream().map((line) -> line.path("level").asString("")).collect(Collectors.toSet());
    Pattern levelMatcher = Pattern.compile("level=~\"([^\"]+)\"");
    int checked = 0;
    for (String file : Dashboards.files()) {
      for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
        for (JsonNode target : panel.path("targets").values()) {
          if (!Dashboards.isLoki(target)) {
            continue;
          }
          checked++;
          String expr = target.path("expr").asString();
          Matcher selector = Dashboards.LOKI_STREAM_SELECTOR.matcher(expr);
          assertThat(selector.find()).as(expr).isTrue();
          Matcher field = Dashboards.LOKI_FIELD_FILTER.matcher(expr.substring(selector.end()));
          while (field.find()) {
            assertThat(fields)
                .as("JSON fields the demo logs, for %s", expr)
                .contains(field.group(1));
          }
          Matcher level = levelMatcher.matcher(selector.group(1));
          while (level.find()) {
            assertThat(levels)
                .as("levels the demo logs, for %s", expr)
                .contains(level.group(1).split("\\|"));
          }
        }
      }
    }
    assertThat(checked).as("Loki queries in the dashboards").isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  @Order(6)
  void passengerHighWaitQueueFiresForTheOverloadedHostOnlyAndReachesTheWebhook(
      PrometheusRelease release) {
    Pipeline pipeline = pipelines.get(release);
    PrometheusProcess prometheus = pipeline.prometheus;
    await("PassengerHighWaitQueue to fire")
        .atMost(Duration.ofSeconds(90))
        .until(() -> alerts(prometheus, "PassengerHighWaitQueue").contains("firing"));
    // By now the healthy host has been scraped as long as the overloaded one.
    Set<String> instances = new TreeSet<>();
    for (JsonNode alert : prometheus.data("/api/v1/alerts").path("alerts").values()) {
      if (alert.path("labels").path("alertname").asString().equals("PassengerHighWaitQueue")) {
        instances.add(alert.path("labels").path("instance").asString());
      }
    }
    assertThat(instances).containsExactly("127.0.0.1:" + appPort);
    await("the webhook to receive PassengerHighWaitQueue")
        .atMost(Duration.ofSeconds(60))
        .until(() -> pipeline.delivered(null, "PassengerHighWaitQueue"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  @Order(7)
  void theWatchdogReachesTheDeadMansSwitchReceiver(PrometheusRelease release) {
    Pipeline pipeline = pipelines.get(release);
    await("the dead man's switch to receive the Watchdog")
        .atMost(Duration.ofSeconds(60))
        .until(() -> pipeline.delivered("deadmans-switch", "Watchdog"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  @Order(8)
  void aPageSilencesTheSameAlertsWarningForTheSameApplicationEnvironmentAndNamespaceOnly(
      PrometheusRelease release) {
    Pipeline pipeline = pipelines.get(release);
    pipeline.post(
        """
        [{"labels": {"alertname": "HttpAvailabilityErrorBudgetBurn", "job": "backend",
          "application": "shop", "severity": "critical", "e2e": "inhibition"}},
         {"labels": {"alertname": "HttpAvailabilityErrorBudgetBurn", "job": "backend",
          "application": "shop", "severity": "warning", "e2e": "inhibition"}},
         {"labels": {"alertname": "HttpAvailabilityErrorBudgetBurn", "job": "backend",
          "application": "blog", "severity": "warning", "e2e": "inhibition"}},
         {"labels": {"alertname": "HttpAvailabilityErrorBudgetBurn", "job": "backend",
          "application": "shop", "env": "staging", "severity": "warning", "e2e": "inhibition"}},
         {"labels": {"alertname": "HttpAvailabilityErrorBudgetBurn", "job": "backend",
          "namespace": "shop-staging", "application": "shop", "severity": "warning",
          "e2e": "inhibition"}}]
        """);
    await("Alertmanager to apply the inhibit rule")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        pipeline.alertmanagerStates(
                            "inhibition", "namespace", "application", "env", "severity"))
                    .containsExactly(
                        "/blog//warning=active",
                        "/shop//critical=active",
                        "/shop//warning=suppressed",
                        "/shop/staging/warning=active",
                        "shop-staging/shop//warning=active"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  @Order(9)
  void aJobDownAsAWholeSilencesItsTargetsWarningsNotOtherJobs(PrometheusRelease release) {
    Pipeline pipeline = pipelines.get(release);
    pipeline.post(
        """
        [{"labels": {"alertname": "PrometheusJobDown", "job": "passenger", "severity": "critical",
          "e2e": "job-down"}},
         {"labels": {"alertname": "PrometheusTargetDown", "job": "passenger",
          "instance": "host-1:9149", "severity": "warning", "e2e": "job-down"}},
         {"labels": {"alertname": "PrometheusTargetDown", "job": "backend",
          "instance": "backend-1:8080", "severity": "warning", "e2e": "job-down"}}]
        """);
    await("Alertmanager to apply the job-down inhibit rule")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(pipeline.alertmanagerStates("job-down", "alertname", "job"))
                    .containsExactly(
                        "PrometheusJobDown/passenger=active",
                        "PrometheusTargetDown/backend=active",
                        "PrometheusTargetDown/passenger=suppressed"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(PrometheusRelease.class)
  @Order(10)
  void aDeadBackendPagesOnceThoughThePassengerJobScrapesItToo(PrometheusRelease release) {
    Pipeline pipeline = pipelines.get(release);
    pipeline.post(
        """
        [{"labels": {"alertname": "PrometheusJobDown", "job": "backend", "severity": "critical",
          "e2e": "backend-down"}},
         {"labels": {"alertname": "PrometheusJobDown", "job": "passenger", "severity": "critical",
          "e2e": "backend-down"}},
         {"labels": {"alertname": "PrometheusTargetDown", "job": "passenger",
          "instance": "backend:8080", "severity": "warning", "e2e": "backend-down"}}]
        """);
    await("Alertmanager to apply the backend-down inhibit rule")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(pipeline.alertmanagerStates("backend-down", "alertname", "job"))
                    .containsExactly(
                        "PrometheusJobDown/backend=active",
                        "PrometheusJobDown/passenger=suppressed",
                        "PrometheusTargetDown/passenger=suppressed"));
  }

  private Processes.Started startDemo(String name, Path jar, int port, String scenario) {
    // A small heap so that garbage collections (and so the GC panels' series) happen in the test.
    return processes.startJar(
        name,
        jar,
        List.of(
            "-Xmx256m",
            "--",
            "--server.address=127.0.0.1",
            "--server.port=" + port,
            "--observability.metrics.env=e2e",
            "--observability.passenger.enabled=true",
            "--observability.passenger.simulator.scenario=" + scenario));
  }

  // The shipped rules with every `for:` shortened, so that alerts fire within the test's time.
  private static Path shortenedRules(Path rules) throws IOException {
    Files.createDirectories(rules);
    for (Path file : PromtoolRulesIT.files(Path.of("rules"), ".rules.yml")) {
      Files.writeString(
          rules.resolve(file.getFileName()),
          Files.readString(file).replaceAll("(?m)^(\\s+for:)\\s.*$", "$1 5s"));
    }
    return rules;
  }

  private String prometheusConfig(Pipeline pipeline, Path rules) throws IOException {
    String config =
        Files.readString(STACK.resolve("prometheus/prometheus.yml"))
            .replace("localhost:9090", pipeline.prometheus.authority())
            .replace("alertmanager:9093", pipeline.alertmanager.getAuthority())
            .replace("backend:8080", app.getAuthority())
            .replace("/etc/prometheus/rules/", rules + "/")
            .replace("${PROMETHEUS_REPLICA}", "e2e")
            .replaceAll("(?m)(scrape_interval|evaluation_interval|scrape_timeout):.*$", "$1: 2s");
    // The passenger job scrapes the healthy host as its second target.
    String target = "[\"" + app.getAuthority() + "\"]";
    int at = config.indexOf(target, config.indexOf("job_name: passenger"));
    assertThat(at).as("the passenger job's target in prometheus.yml").isPositive();
    config =
        config.substring(0, at)
            + "[\""
            + app.getAuthority()
            + "\", \"127.0.0.1:"
            + healthyPort
            + "\"]"
            + config.substring(at + target.length());
    assertThat(config)
        .doesNotContain("localhost:9090", "alertmanager:9093", "backend:8080", "/etc/prometheus");
    return config;
  }

  private static String alertmanagerConfig(int webhookPort) throws IOException {
    String config =
        Files.readString(STACK.resolve("alertmanager/alertmanager.yml"))
            .replaceAll("https?://alert-receiver\\.invalid:9000", "http://127.0.0.1:" + webhookPort)
            .replaceAll("(?m)(group_wait):.*$", "$1: 1s")
            .replaceAll("(?m)(group_interval):.*$", "$1: 2s")
            .replaceAll("(?m)(repeat_interval):.*$", "$1: 1m");
    assertThat(config).doesNotContain("alert-receiver.invalid");
    return config;
  }

  // Successes, client errors, an unknown path, server errors and slow requests.
  private void driveTraffic(int rounds) {
    for (int i = 1; i <= rounds; i++) {
      for (String path :
          List.of(
              "/", "/status/200", "/status/404", "/no-such-page", "/status/500", "/status/503")) {
        Http.get(app.resolve(path));
      }
      if (i % 5 == 0) {
        Http.get(app.resolve("/status/200?seconds_sleep=0.6"));
      }
    }
  }

  private static List<String> emptyDashboardQueries(PrometheusProcess prometheus) {
    List<String> empty = new ArrayList<>();
    for (String file : Dashboards.files()) {
      JsonNode dashboard = Dashboards.read(file);
      for (JsonNode variable : dashboard.path("templating").path("list").values()) {
        if (!variable.path("type").asString().equals("query")) {
          continue;
        }
        Matcher labelValues =
            Dashboards.LABEL_VALUES.matcher(variable.path("definition").asString());
        assertThat(labelValues.matches()).as(variable.path("definition").asString()).isTrue();
        JsonNode series =
            prometheus.dataOrEmpty(
                "/api/v1/series?match[]="
                    + PrometheusProcess.encode(
                        Dashboards.withDefaultSelections(labelValues.group(1))));
        boolean hasValues =
            series.values().stream().anyMatch((one) -> one.has(labelValues.group(2)));
        // A label optional on these series (Passenger metrics carry `application` only when the
        // exporter adds it) leaves the variable only "All", whose .* still matches every series.
        boolean allApplies =
            !series.isEmpty() && variable.path("allValue").asString("").equals(".*");
        if (!hasValues && !allApplies) {
          empty.add(file + " variable " + variable.path("name").asString());
        }
      }
      for (JsonNode panel : Dashboards.panels(dashboard)) {
        for (JsonNode target : panel.path("targets").values()) {
          if (Dashboards.isLoki(target)) {
            continue;
          }
          String expr = Dashboards.withDefaultSelections(target.path("expr").asString());
          if (prometheus
              .dataOrEmpty("/api/v1/query?query=" + PrometheusProcess.encode(expr))
              .path("result")
              .isEmpty()) {
            empty.add(
                "%s '%s' %s: %s"
                    .formatted(
                        file,
                        panel.path("title").asString(),
                        target.path("refId").asString(),
                        expr));
          }
        }
      }
    }
    return empty;
  }

  private static List<JsonNode> rules(JsonNode groups) {
    List<JsonNode> rules = new ArrayList<>();
    groups.values().forEach((group) -> rules.addAll(group.path("rules").values()));
    return rules;
  }

  private static Set<String> alerts(PrometheusProcess prometheus, String alertname) {
    return prometheus.data("/api/v1/alerts").path("alerts").values().stream()
        .filter((alert) -> alert.path("labels").path("alertname").asString().equals(alertname))
        .map((alert) -> alert.path("state").asString())
        .collect(Collectors.toSet());
  }

  /**
   * One release's Prometheus and Alertmanager over the shared demos, with the webhook its
   * Alertmanager notifies.
   */
  private final class Pipeline {

    private final PrometheusProcess prometheus;

    private final URI alertmanager = URI.create("http://127.0.0.1:" + Ports.free());

    private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();

    private HttpServer webhook;

    private Processes.Started alertmanagerProcess;

    Pipeline(PrometheusRelease release) {
      this.prometheus = new PrometheusProcess(release);
    }

    /**
     * Checks both configs with the release's own tools, then starts Alertmanager and Prometheus.
     */
    void start(Path rules) throws IOException {
      PrometheusRelease release = prometheus.release();
      Path work = processes.directory();
      webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      webhook.createContext(
          "/",
          (exchange) -> {
            notifications.add(json.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      webhook.start();

      Path prometheusYml = work.resolve("prometheus-" + prometheus.slug() + ".yml");
      Files.writeString(prometheusYml, prometheusConfig(this, rules));
      Processes.Finished configCheck =
          processes.run(
              Duration.ofMinutes(1),
              List.of(release.promtool(), "check", "config", prometheusYml.toString()));
      assertThat(configCheck.exitCode()).as("%s: %s", release, configCheck.output()).isZero();
      Path alertmanagerYml = work.resolve("alertmanager-" + prometheus.slug() + ".yml");
      Files.writeString(alertmanagerYml, alertmanagerConfig(webhook.getAddress().getPort()));
      Processes.Finished amCheck =
          processes.run(
              Duration.ofMinutes(1),
              List.of(release.amtool(), "check-config", alertmanagerYml.toString()));
      assertThat(amCheck.exitCode()).as("%s: %s", release, amCheck.output()).isZero();

      alertmanagerProcess =
          processes.start(
              "alertmanager-" + prometheus.slug(),
              List.of(
                  release.alertmanager(),
                  "--config.file=" + alertmanagerYml,
                  "--storage.path=" + work.resolve("alertmanager-data-" + prometheus.slug()),
                  "--web.listen-address=" + alertmanager.getAuthority(),
                  "--cluster.listen-address="));
      prometheus.start(processes, prometheusYml);
    }

    void awaitReady() {
      alertmanagerProcess.awaitOk(alertmanager.resolve("/-/ready"), Waits.PROCESS);
      prometheus.awaitReady();
    }

    void stopWebhook() {
      if (webhook != null) {
        webhook.stop(0);
      }
    }

    private boolean delivered(String receiver, String alertname) {
      return notifications.stream()
          .filter((body) -> receiver == null || body.path("receiver").asString().equals(receiver))
          .flatMap((body) -> body.path("alerts").values().stream())
          .anyMatch(
              (alert) ->
                  alert.path("labels").path("alertname").asString().equals(alertname)
                      && alert.path("status").asString().equals("firing"));
    }

    private void post(String alerts) {
      HttpResponse<String> response = Http.postJson(alertmanager.resolve("/api/v2/alerts"), alerts);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private List<String> alertmanagerStates(String test, String... labels) {
      HttpResponse<String> response =
          Http.get(
              URI.create(
                  alertmanager
                      + "/api/v2/alerts?filter="
                      + PrometheusProcess.encode("e2e=\"" + test + "\"")));
      List<String> states = new ArrayList<>();
      for (JsonNode alert : json.readTree(response.body()).values()) {
        List<String> values = new ArrayList<>();
        for (String label : labels) {
          values.add(alert.path("labels").path(label).asString(""));
        }
        states.add(String.join("/", values) + "=" + alert.path("status").path("state").asString());
      }
      return states.stream().sorted().toList();
    }
  }
}
