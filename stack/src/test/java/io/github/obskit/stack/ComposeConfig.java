package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * {@code docker-compose config}, the merged configuration a user's combination of compose files
 * gives, and the policies the end-to-end tests check on it. No Docker engine is needed: config only
 * validates and merges.
 */
final class ComposeConfig {

  /** The demo's own image name; every build must tag it, never the user's {@code BACKEND_IMAGE}. */
  static final String DEMO_IMAGE_NAME = "obskit/demo-app:";

  private static final Map<String, Processes.Finished> RUNS = new ConcurrentHashMap<>();

  private final Processes processes;

  private final String dockerCompose;

  ComposeConfig(Processes processes) {
    this.processes = processes;
    this.dockerCompose = Tools.require("docker-compose", "docker-compose");
  }

  /**
   * A .env as a user writes it from .env.example: every empty value filled in.
   *
   * @return the file, in the test's directory
   */
  Path filledEnvironment() {
    String filled =
        RepositoryFiles.read(RepositoryFiles.STACK.resolve(".env.example"))
            .replaceAll("(?m)^GRAFANA_ADMIN_PASSWORD=$", "GRAFANA_ADMIN_PASSWORD=e2e-admin-secret")
            .replaceAll("(?m)^GRAFANA_DB_PASSWORD=$", "GRAFANA_DB_PASSWORD=e2e-db-secret")
            .replaceAll(
                "(?m)^PROMETHEUS_EXTERNAL_URL=$",
                "PROMETHEUS_EXTERNAL_URL=https://prometheus.e2e.example")
            .replaceAll(
                "(?m)^ALERTMANAGER_EXTERNAL_URL=$",
                "ALERTMANAGER_EXTERNAL_URL=https://alertmanager.e2e.example")
            .replaceAll(
                "(?m)^PROMETHEUS_B_EXTERNAL_URL=$",
                "PROMETHEUS_B_EXTERNAL_URL=https://prometheus-b.e2e.example")
            .replaceAll(
                "(?m)^ALERTMANAGER_B_EXTERNAL_URL=$",
                "ALERTMANAGER_B_EXTERNAL_URL=https://alertmanager-b.e2e.example");
    assertThat(filled)
        .as(".env.example has an empty value the test does not fill")
        .doesNotContainPattern("(?m)^[A-Z_]+=$");
    return write("filled.env", filled);
  }

  /**
   * An empty .env, as a dev stack runs without one.
   *
   * @return the file, in the test's directory
   */
  Path emptyEnvironment() {
    return write("empty.env", "");
  }

  Path write(String name, String content) {
    try {
      return Files.writeString(processes.directory().resolve(name), content);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * Runs {@code docker-compose config} in a folder.
   *
   * @param directory the folder holding the compose files
   * @param envFile the {@code --env-file}
   * @param environment variables set for docker-compose
   * @param files the {@code -f} files, none for compose's default (with the override)
   * @return its exit code and output
   */
  Processes.Finished run(
      Path directory, Path envFile, Map<String, String> environment, String... files) {
    // Several tests check the same combination: docker-compose (Python) takes seconds to start.
    StringBuilder key = new StringBuilder(directory + "\n" + environment + "\n");
    key.append(RepositoryFiles.read(envFile));
    try (Stream<Path> composeFiles = Files.list(directory)) {
      composeFiles
          .filter((file) -> file.getFileName().toString().startsWith("docker-compose"))
          .sorted()
          .forEach((file) -> key.append(file).append(RepositoryFiles.read(file)));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    for (String file : files) {
      key.append(file).append(RepositoryFiles.read(directory.resolve(file)));
    }
    return RUNS.computeIfAbsent(
        key.toString(), (ignored) -> runNow(directory, envFile, environment, files));
  }

  private Processes.Finished runNow(
      Path directory, Path envFile, Map<String, String> environment, String... files) {
    List<String> command =
        new ArrayList<>(List.of(dockerCompose, "--env-file", envFile.toString()));
    for (String file : files) {
      command.add("-f");
      command.add(file);
    }
    command.add("config");
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().putAll(environment);
    return processes.run(Duration.ofMinutes(1), builder);
  }

  /**
   * The merged services of a valid combination; fails the test naming compose's error otherwise.
   *
   * @param directory the folder holding the compose files
   * @param envFile the {@code --env-file}
   * @param environment variables set for docker-compose
   * @param files the {@code -f} files, none for compose's default (with the override)
   * @return the services by name
   */
  Map<String, Object> services(
      Path directory, Path envFile, Map<String, String> environment, String... files) {
    Processes.Finished config = run(directory, envFile, environment, files);
    assertThat(config.exitCode())
        .as("docker-compose config %s: %s", List.of(files), config.stderr())
        .isZero();
    return map(RepositoryFiles.yaml(config.stdout()).get("services"));
  }

  Map<String, Object> services(Path envFile, String... files) {
    return services(RepositoryFiles.STACK, envFile, Map.of(), files);
  }

  /** Services whose build would tag an image other than the demo's own. */
  static List<String> buildsUnderAnotherName(Map<String, Object> services) {
    List<String> problems = new ArrayList<>();
    services.forEach(
        (name, service) -> {
          Map<String, Object> definition = map(service);
          if (definition.containsKey("build")
              && !String.valueOf(definition.get("image")).startsWith(DEMO_IMAGE_NAME)) {
            problems.add(name + " builds and tags " + definition.get("image"));
          }
        });
    return problems;
  }

  /**
   * What a production combination must not do: publish beyond 127.0.0.1 (but Grafana), run without
   * a restart policy or memory limit, run privileged, keep less than 30 days of metrics.
   */
  static List<String> productionProblems(Map<String, Object> services) {
    List<String> problems = new ArrayList<>();
    services.forEach(
        (name, service) -> {
          Map<String, Object> definition = map(service);
          for (String port : ports(definition)) {
            if (!name.equals("grafana") && !port.startsWith("127.0.0.1:")) {
              problems.add(name + " publishes " + port + " beyond 127.0.0.1");
            }
          }
          if (!"unless-stopped".equals(definition.get("restart"))) {
            problems.add(name + " has no restart policy");
          }
          if (definition.get("mem_limit") == null) {
            problems.add(name + " has no memory limit");
          }
          if (Boolean.TRUE.equals(definition.get("privileged"))) {
            problems.add(name + " is privileged");
          }
        });
    for (String name : List.of("prometheus", "prometheus-b")) {
      if (services.containsKey(name)
          && !list(map(services.get(name)).get("command"))
              .contains("--storage.tsdb.retention.time=30d")) {
        problems.add(name + " does not keep 30 days");
      }
    }
    return problems;
  }

  /** Every published port not bound to 127.0.0.1. */
  static List<String> publishedBeyondLoopback(Map<String, Object> services) {
    List<String> beyond = new ArrayList<>();
    services.forEach(
        (name, service) -> {
          for (String port : ports(map(service))) {
            if (!port.startsWith("127.0.0.1:")) {
              beyond.add(name + " on " + port);
            }
          }
        });
    return beyond;
  }

  /** A published port as {@code host_ip:published}, from the short or the long syntax. */
  static List<String> ports(Map<String, Object> service) {
    return list(service.get("ports")).stream()
        .map(
            (port) ->
                (port instanceof Map<?, ?> spec)
                    ? String.valueOf(spec.get("host_ip") == null ? "" : spec.get("host_ip"))
                        + ":"
                        + spec.get("published")
                    : port.toString())
        .toList();
  }
}
