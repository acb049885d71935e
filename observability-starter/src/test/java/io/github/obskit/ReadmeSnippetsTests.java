package io.github.obskit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The snippets a user copies from the root and the starter README. */
class ReadmeSnippetsTests {

  private static final Path METADATA =
      Path.of("target/classes/META-INF/spring-configuration-metadata.json");

  @ParameterizedTest
  @ValueSource(strings = {"README.md", "../README.md"})
  void dependencySnippetNamesTheStarterWithThisVersion(String readme) throws Exception {
    List<String> dependencies = blocks(readme, "xml");
    dependencies.removeIf(
        (block) -> !block.contains("<dependency>") || block.contains("<dependencyManagement>"));

    assertThat(dependencies)
        .singleElement()
        .satisfies(
            (dependency) ->
                assertThat(dependency)
                    .contains("<groupId>io.github.obskit</groupId>")
                    .contains("<artifactId>observability-starter</artifactId>")
                    .contains("<version>" + projectVersion() + "</version>"));
  }

  @Test
  void bomSnippetImportsTheBomOfThisVersion() throws Exception {
    List<String> imports = blocks("../README.md", "xml");
    imports.removeIf((block) -> !block.contains("<dependencyManagement>"));

    assertThat(imports)
        .singleElement()
        .satisfies(
            (bom) ->
                assertThat(bom)
                    .contains("<groupId>io.github.obskit</groupId>")
                    .contains("<artifactId>obskit-bom</artifactId>")
                    .contains("<version>" + projectVersion() + "</version>")
                    .contains("<type>pom</type>")
                    .contains("<scope>import</scope>"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"README.md", "../README.md"})
  void propertiesSnippetsUseOnlyPropertiesTheStarterHas(String readme) throws Exception {
    Set<String> known = new TreeSet<>();
    for (JsonNode property :
        JsonMapper.builder().build().readTree(Files.readString(METADATA)).get("properties")) {
      known.add(property.get("name").asString());
    }
    List<String> used = new ArrayList<>();
    for (String block : blocks(readme, "properties")) {
      for (String line : block.lines().toList()) {
        String setting = line.replaceFirst("^#\\s*", "").strip();
        if (setting.startsWith("observability.")) {
          used.add(setting.substring(0, setting.indexOf('=')));
        }
      }
    }

    assertThat(known).containsAll(used);
  }

  private static List<String> blocks(String readme, String language) throws Exception {
    Matcher block =
        Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL)
            .matcher(Files.readString(Path.of(readme)));
    List<String> blocks = new ArrayList<>();
    while (block.find()) {
      blocks.add(block.group(1));
    }
    return blocks;
  }

  // The reactor's version, which every module inherits from the parent.
  private static String projectVersion() throws Exception {
    Matcher parent =
        Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>", Pattern.DOTALL)
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(parent.find()).isTrue();
    return parent.group(1);
  }
}
