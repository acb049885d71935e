package io.github.obskit.stack.kubernetes;

import static io.github.obskit.stack.kubernetes.RenderedChart.CHART;
import static io.github.obskit.stack.kubernetes.RenderedChart.EVERY_TEMPLATE;
import static io.github.obskit.stack.kubernetes.RenderedChart.list;
import static io.github.obskit.stack.kubernetes.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Values that pass values.schema.json never add an object or a field. Every string of the values
 * (and a key of every map whose keys are the user's) is set in turn to a YAML injection; the render
 * must either be refused with a message naming that value, or give the objects and fields of the
 * clean render, whatever their values.
 */
class ChartInjectionTests {

  /**
   * Appended to the value (or to "x" for an empty one): a field at the top of a document, a field
   * in a pod spec, a scalar that ends a quoted context, and a whole ClusterRoleBinding.
   */
  private static final List<String> INJECTIONS =
      List.of(
          "\nkind: ClusterRoleBinding",
          "\n  hostPID: true",
          "\"x\": y",
          """

          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRoleBinding
          metadata:
            name: obskit-injected
          roleRef:
            apiGroup: rbac.authorization.k8s.io
            kind: ClusterRole
            name: cluster-admin
          subjects:
            - kind: Group
              name: system:authenticated
          """);

  /** The exporter in sidecar mode: only its own values render differently there. */
  private static final String SIDECAR =
      """
      passengerExporter:
        enabled: true
        mode: sidecar
        podSelector:
          matchLabels:
            app: storefront
      """;

  /** Maps whose keys the user chooses, each with a key set to an injection. */
  private static final List<String> OPEN_MAPS =
      List.of(
          "commonLabels",
          "prometheusSelectorLabels",
          "serviceMonitor.selector.matchLabels",
          "podMonitor.selector.matchLabels",
          "prometheusRules.additionalRuleLabels",
          "dashboards.annotations",
          "dashboards.grafanaOperator.instanceSelector.matchLabels",
          "passengerExporter.nodeSelector",
          "passengerExporter.podSelector.matchLabels");

  /** The key added to an open map; rendered keys that start with it are compared as equal. */
  private static final String KEY = "team";

  /** The shapes of the clean renders, by values: most cases share one. */
  private static final Map<Map<String, Object>, List<String>> CLEAN_SHAPES = new HashMap<>();

  static Stream<Arguments> injections() {
    List<Arguments> cases = new ArrayList<>();
    for (List<Object> path : strings(values(EVERY_TEMPLATE), List.of())) {
      INJECTIONS.forEach((injection) -> cases.add(Arguments.of("every template", path, injection)));
    }
    for (List<Object> path : strings(values(SIDECAR), List.of())) {
      if (path.get(0).equals("passengerExporter")) {
        INJECTIONS.forEach((injection) -> cases.add(Arguments.of("sidecar", path, injection)));
      }
    }
    return cases.stream();
  }

  static Stream<Arguments> keyInjections() {
    return OPEN_MAPS.stream()
        .flatMap((map) -> INJECTIONS.stream().map((injection) -> Arguments.of(map, injection)));
  }

  @ParameterizedTest(name = "{0}: {1} + {2}")
  @MethodSource("injections")
  void neverRendersAnInjectedStringAsAnObjectOrField(
      String setup, List<Object> path, String injection, @TempDir Path dir) {
    Map<String, Object> values = values(setup.equals("sidecar") ? SIDECAR : EVERY_TEMPLATE);
    String clean = (String) valueAt(values, path);
    Map<String, Object> injected = deepCopy(values);
    setValueAt(injected, path, (clean.isEmpty() ? "x" : clean) + injection);
    assertRefusedOrSameShape(dir, values, injected, dotted(path), pointer(path));
  }

  @ParameterizedTest(name = "{0} key + {1}")
  @MethodSource("keyInjections")
  void neverRendersAnInjectedKeyAsAnObjectOrField(
      String mapPath, String injection, @TempDir Path dir) {
    Map<String, Object> values =
        values(mapPath.startsWith("passengerExporter.pod") ? SIDECAR : EVERY_TEMPLATE);
    Map<String, Object> clean = deepCopy(values);
    Map<String, Object> injected = deepCopy(values);
    List<Object> path = List.of((Object[]) mapPath.split("\\."));
    putAt(clean, path, KEY, "checkout");
    putAt(injected, path, KEY + injection, "checkout");
    assertRefusedOrSameShape(dir, clean, injected, mapPath, pointer(path));
  }

  @Test
  void anchorsEveryPatternOfTheSchema() {
    List<String> patterns = new ArrayList<>();
    collectPatterns(
        RenderedChart.map(new Yaml().load(RenderedChart.read(CHART.resolve("values.schema.json")))),
        patterns);
    assertThat(patterns).isNotEmpty().allMatch((p) -> p.startsWith("^") && p.endsWith("$"));
  }

  private static void assertRefusedOrSameShape(
      Path dir,
      Map<String, Object> clean,
      Map<String, Object> injected,
      String name,
      String pointer) {
    String manifest;
    try {
      manifest = render(dir.resolve("injected.yaml"), injected);
    } catch (RuntimeException ex) {
      assertThat(ex.getMessage())
          .as("a refusal of %s must name it", name)
          .containsAnyOf(name, pointer);
      return;
    }
    List<String> expected =
        CLEAN_SHAPES.computeIfAbsent(
            clean, (values) -> shapes(render(dir.resolve("clean.yaml"), values)));
    assertThat(shapes(manifest))
        .as("objects and fields with %s injected", name)
        .isEqualTo(expected);
  }

  private static String render(Path file, Map<String, Object> values) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    try {
      Files.writeString(file, new Yaml(options).dump(values));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return RenderedChart.render(file);
  }

  /** Each object as its kind and the paths of its fields, values left out. */
  private static List<String> shapes(String manifest) {
    List<Map<String, Object>> objects;
    try {
      objects = RenderedChart.objects(manifest);
    } catch (RuntimeException ex) {
      return fail("the render is no valid YAML: %s%n%s", ex.getMessage(), manifest);
    }
    List<String> shapes = new ArrayList<>();
    for (Map<String, Object> object : objects) {
      TreeSet<String> fields = new TreeSet<>();
      collectFields(object, "", fields);
      shapes.add(object.get("kind") + " " + String.join(" ", fields));
    }
    return shapes;
  }

  private static void collectFields(Object node, String path, TreeSet<String> fields) {
    if (node instanceof Map<?, ?> mapNode) {
      for (Map.Entry<?, ?> entry : mapNode.entrySet()) {
        String key = String.valueOf(entry.getKey());
        String field = path + "/" + (key.startsWith(KEY) ? KEY : key);
        fields.add(field);
        collectFields(entry.getValue(), field, fields);
      }
    } else if (node instanceof List<?> listNode) {
      for (int i = 0; i < listNode.size(); i++) {
        String field = path + "/" + i;
        fields.add(field);
        collectFields(listNode.get(i), field, fields);
      }
    }
  }

  private static void collectPatterns(Object node, List<String> patterns) {
    if (node instanceof Map<?, ?> mapNode) {
      mapNode.forEach(
          (key, value) -> {
            if ("pattern".equals(key) && value instanceof String pattern) {
              patterns.add(pattern);
            } else if ("patternProperties".equals(key)) {
              map(value).keySet().forEach(patterns::add);
              collectPatterns(value, patterns);
            } else {
              collectPatterns(value, patterns);
            }
          });
    } else if (node instanceof List<?> listNode) {
      listNode.forEach((item) -> collectPatterns(item, patterns));
    }
  }

  /** values.yaml with a setup merged in. */
  private static Map<String, Object> values(String setup) {
    Map<String, Object> values = deepCopy(RenderedChart.yaml(CHART.resolve("values.yaml")));
    merge(values, RenderedChart.yamlText(setup));
    return values;
  }

  private static void merge(Map<String, Object> target, Map<String, Object> source) {
    source.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> && target.get(key) instanceof Map<?, ?>) {
            merge(map(target.get(key)), map(value));
          } else {
            target.put(key, value);
          }
        });
  }

  private static List<List<Object>> strings(Object node, List<Object> path) {
    List<List<Object>> paths = new ArrayList<>();
    if (node instanceof String) {
      paths.add(path);
    } else if (node instanceof Map<?, ?> mapNode) {
      mapNode.forEach((key, value) -> paths.addAll(strings(value, append(path, key))));
    } else if (node instanceof List<?> listNode) {
      for (int i = 0; i < listNode.size(); i++) {
        paths.addAll(strings(listNode.get(i), append(path, i)));
      }
    }
    return paths;
  }

  private static List<Object> append(List<Object> path, Object key) {
    List<Object> appended = new ArrayList<>(path);
    appended.add(key);
    return appended;
  }

  private static Object valueAt(Object node, List<Object> path) {
    for (Object key : path) {
      node = (key instanceof Integer index) ? list(node).get(index) : map(node).get(key);
    }
    return node;
  }

  private static void setValueAt(Map<String, Object> values, List<Object> path, Object value) {
    Object parent = valueAt(values, path.subList(0, path.size() - 1));
    Object key = path.get(path.size() - 1);
    if (key instanceof Integer index) {
      list(parent).set(index, value);
    } else {
      map(parent).put((String) key, value);
    }
  }

  private static void putAt(
      Map<String, Object> values, List<Object> path, String key, Object value) {
    Map<String, Object> node = values;
    for (Object step : path) {
      node = map(node.computeIfAbsent((String) step, (absent) -> new LinkedHashMap<>()));
    }
    node.put(key, value);
  }

  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(T node) {
    if (node instanceof Map<?, ?> mapNode) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      mapNode.forEach((key, value) -> copy.put(key, deepCopy(value)));
      return (T) copy;
    }
    if (node instanceof List<?> listNode) {
      List<Object> copy = new ArrayList<>();
      listNode.forEach((item) -> copy.add(deepCopy(item)));
      return (T) copy;
    }
    return node;
  }

  private static String dotted(List<Object> path) {
    StringBuilder name = new StringBuilder();
    for (Object key : path) {
      if (key instanceof Integer) {
        break;
      }
      name.append(name.isEmpty() ? "" : ".").append(key);
    }
    return name.toString();
  }

  private static String pointer(List<Object> path) {
    StringBuilder pointer = new StringBuilder();
    for (Object key : path) {
      pointer.append('/').append(String.valueOf(key).replace("~", "~0").replace("/", "~1"));
    }
    return pointer.toString();
  }
}
