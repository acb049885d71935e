package io.github.obskit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each surefire execution tests against one version of every artifact. Also runs in the {@code
 * jetty-tests} and {@code log4j2-tests} executions, whose additional starters surefire resolves
 * without the project's dependency management: a transitive dependency the project already has (say
 * Micrometer through spring-context) would come a second time, in another version.
 */
class TestClasspathTests {

  @Test
  void everyArtifactIsOnTheClasspathOnceInOneVersion() {
    List<Path> jars =
        classpath().stream()
            .filter((entry) -> entry.endsWith(".jar"))
            .map(Path::of)
            .filter(TestClasspathTests::inMavenRepositoryLayout)
            .toList();
    Map<String, Set<String>> versions = new TreeMap<>();
    List<Path> repeated = new ArrayList<>();
    Set<Path> seen = new TreeSet<>();
    for (Path jar : jars) {
      if (!seen.add(jar)) {
        repeated.add(jar);
      }
      Path versionDirectory = jar.getParent();
      versions
          .computeIfAbsent(versionDirectory.getParent().toString(), (artifact) -> new TreeSet<>())
          .add(versionDirectory.getFileName().toString());
    }

    assertThat(jars).as("jars on the test classpath").isNotEmpty();
    assertThat(repeated).as("jars on the test classpath twice").isEmpty();
    assertThat(
            versions.entrySet().stream()
                .filter((artifact) -> artifact.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
        .as("artifacts on the test classpath in more than one version")
        .isEmpty();
  }

  // Surefire's fork runs from a manifest-only jar and names the test classpath in this property.
  private static List<String> classpath() {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return List.of(classpath.split(File.pathSeparator));
  }

  // <repository>/<group>/<artifactId>/<version>/<artifactId>-<version>[-<classifier>].jar
  private static boolean inMavenRepositoryLayout(Path jar) {
    Path versionDirectory = jar.getParent();
    if (versionDirectory == null || versionDirectory.getParent() == null) {
      return false;
    }
    String artifactId = versionDirectory.getParent().getFileName().toString();
    String version = versionDirectory.getFileName().toString();
    return jar.getFileName().toString().startsWith(artifactId + "-" + version);
  }
}
