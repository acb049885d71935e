package io.github.obskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Pins what the image build and the stack rely on; Docker itself is not available in the build. */
class DockerfileTests {

  private static final Path MODULE = Path.of("").toAbsolutePath();

  private final String dockerfile = Files.readString(MODULE.resolve("Dockerfile"));

  private final String applicationYaml =
      Files.readString(MODULE.resolve("src/main/resources/application.yaml"));

  DockerfileTests() throws IOException {}

  @Test
  void baseImagesArePinnedToAnExactTemurin25Release() {
    List<String> images =
        dockerfile
            .lines()
            .filter(line -> line.startsWith("FROM "))
            .map(line -> line.split("\\s+")[1])
            .toList();

    assertThat(images)
        .hasSize(2)
        .allMatch(image -> image.matches("eclipse-temurin:25\\.\\d+\\.\\d+_\\d+-(jdk|jre)-\\w+"));
    assertThat(images.get(1)).as("runtime image").contains("-jre-");
  }

  @Test
  void buildStageCopiesEveryReactorModule() throws IOException {
    String rootPom = Files.readString(MODULE.getParent().resolve("pom.xml"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom);
    int modules = 0;
    while (module.find()) {
      modules++;
      assertThat(dockerfile)
          .as("Maven needs every module's pom")
          .contains("COPY " + module.group(1) + "/");
    }
    assertThat(modules).isPositive();
  }

  @Test
  void runtimeStageRunsTheLayeredJarAsNonRootOnTheConfiguredPort() {
    String runtime = dockerfile.substring(dockerfile.lastIndexOf("FROM "));

    assertThat(runtime)
        .contains("COPY --from=build /build/extracted/dependencies/ ./")
        .contains("COPY --from=build /build/extracted/spring-boot-loader/ ./")
        .contains("COPY --from=build /build/extracted/snapshot-dependencies/ ./")
        .contains("COPY --from=build /build/extracted/application/ ./")
        .contains("USER app")
        .contains(
            "ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\","
                + " \"org.springframework.boot.loader.launch.JarLauncher\"]");
    assertThat(applicationYaml).contains("port: 8080");
    assertThat(runtime).contains("EXPOSE 8080").contains("/dev/tcp/127.0.0.1/8080");
  }

  @Test
  void setsNoJvmOptionsVariableThatMakesTheJvmPrintANonJsonLine() {
    // The JVM prints "Picked up JAVA_TOOL_OPTIONS: ..." (or JDK_JAVA_OPTIONS) to stderr at start.
    assertThat(dockerfile.lines().filter(line -> !line.startsWith("#")))
        .noneMatch(line -> line.contains("JAVA_TOOL_OPTIONS") || line.contains("JDK_JAVA_OPTIONS"));
  }

  @Test
  void healthcheckProbesTheReadinessGroupThatTheApplicationEnables() {
    assertThat(dockerfile).contains("HEALTHCHECK").contains("GET /actuator/health/readiness ");
    assertThat(applicationYaml).containsPattern("probes:\\s+enabled: true");
  }
}
