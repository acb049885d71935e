package io.github.obskit.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads the repository's files the way the tests need them: paths from the stack folder, YAML as
 * maps.
 */
final class RepositoryFiles {

  /** The stack module's folder; Maven runs the tests there. */
  static final Path STACK = Path.of("").toAbsolutePath();

  static final Path ROOT = STACK.getParent();

  static final Path DASHBOARDS_MODULE = ROOT.resolve("grafana-dashboards");

  /** The compose files the stack zip ships. */
  static final List<String> SHIPPED_COMPOSE_FILES =
      List.of("docker-compose.yml", "docker-compose.prod.yml", "docker-compose.ha.yml");

  /** Every compose file of the repository: the shipped ones and the build override. */
  static final List<String> COMPOSE_FILES =
      List.of(
          "docker-compose.yml",
          "docker-compose.override.yml",
          "docker-compose.prod.yml",
          "docker-compose.ha.yml");

  /** The version of this build, which the demo image's default tag must carry. */
  static final String PROJECT_VERSION = System.getProperty("obskit.project.version");

  private RepositoryFiles() {}

  static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static Map<String, Object> yaml(Path path) {
    return yaml(read(path));
  }

  static Map<String, Object> yaml(String text) {
    return new Yaml(new LoaderOptions()).load(text);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (value != null) ? (Map<String, Object>) value : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return (value != null) ? (List<Object>) value : List.of();
  }

  /** The services of one compose file, by name. */
  static Map<String, Object> services(String composeFile) {
    return map(yaml(STACK.resolve(composeFile)).get("services"));
  }
}
