package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stack zip built by the package phase, unpacked as a user would: every combination the stack
 * README names is valid, and every file it mounts and every build input it names is in the zip.
 */
class StackZipIT {

  @AutoClose private final Processes processes = new Processes("stack-zip");

  private final ComposeConfig compose = new ComposeConfig(processes);

  private final Path zip = Tools.builtFile("obskit.stack.zip");

  @Test
  void theHealthScriptIsExecutableInTheZip() throws IOException {
    assertThat(unixMode("stack/scripts/health.sh") & 0111).as("execute bits").isNotZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "docker-compose.yml docker-compose.prod.yml",
        "docker-compose.yml docker-compose.ha.yml",
        "docker-compose.yml docker-compose.prod.yml docker-compose.ha.yml"
      })
  void everyCombinationIsValidUnpackedAndFindsWhatItMountsAndBuilds(String combination)
      throws IOException {
    Path stack = unpack();
    String[] files = combination.isEmpty() ? new String[0] : combination.split(" ");
    Path env = combination.isEmpty() ? compose.emptyEnvironment() : compose.filledEnvironment();
    assertThat(missingInputs(compose.services(stack, env, Map.of(), files))).isEmpty();
  }

  @Test
  void theCheckRejectsABuildWhoseDockerfileIsNotInTheZip() throws IOException {
    Path stack = unpack();
    // The repository's override builds from the source, which the zip does not ship.
    Files.copy(
        RepositoryFiles.STACK.resolve("docker-compose.override.yml"),
        stack.resolve("docker-compose.override.yml"));
    Map<String, Object> services = compose.services(stack, compose.emptyEnvironment(), Map.of());
    assertThat(missingInputs(services)).anyMatch((problem) -> problem.startsWith("backend builds"));
  }

  private Path unpack() throws IOException {
    Path target = processes.directory().resolve("unpacked");
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : Collections.list(archive.entries())) {
        Path file = target.resolve(entry.getName()).normalize();
        assertThat(file.startsWith(target)).as("%s stays in %s", file, target).isTrue();
        if (entry.isDirectory()) {
          Files.createDirectories(file);
          continue;
        }
        Files.createDirectories(file.getParent());
        try (InputStream content = archive.getInputStream(entry)) {
          Files.copy(content, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target.resolve("stack");
  }

  private static List<String> missingInputs(Map<String, Object> services) {
    List<String> missing = new ArrayList<>();
    services.forEach(
        (name, service) -> {
          Map<String, Object> definition = map(service);
          for (Object volume : RepositoryFiles.list(definition.get("volumes"))) {
            String source = volume.toString().split(":")[0];
            if (source.startsWith("/")
                && !source.equals("/var/run/docker.sock")
                && !Files.exists(Path.of(source))) {
              missing.add(name + " mounts " + source);
            }
          }
          Map<String, Object> build = map(definition.get("build"));
          if (!build.isEmpty()) {
            Path dockerfile =
                Path.of(build.get("context").toString())
                    .resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile")));
            if (!Files.isRegularFile(dockerfile)) {
              missing.add(name + " builds from " + dockerfile);
            }
          } else if (definition.get("image") == null) {
            missing.add(name + " has neither image nor build");
          }
        });
    return missing;
  }

  // java.util.zip does not expose the external attributes, which hold the Unix mode: read them
  // from the zip's central directory.
  private int unixMode(String name) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
    int end = bytes.limit() - 22;
    while (end >= 0 && bytes.getInt(end) != 0x06054b50) {
      end--;
    }
    assertThat(end).as("end of central directory in %s", zip).isNotNegative();
    int entries = Short.toUnsignedInt(bytes.getShort(end + 10));
    int at = bytes.getInt(end + 16);
    for (int i = 0; i < entries; i++) {
      assertThat(bytes.getInt(at)).as("central directory entry").isEqualTo(0x02014b50);
      int nameLength = Short.toUnsignedInt(bytes.getShort(at + 28));
      int extraLength = Short.toUnsignedInt(bytes.getShort(at + 30));
      int commentLength = Short.toUnsignedInt(bytes.getShort(at + 32));
      String entry = new String(bytes.array(), at + 46, nameLength, StandardCharsets.UTF_8);
      if (entry.equals(name)) {
        return bytes.getInt(at + 38) >>> 16;
      }
      at += 46 + nameLength + extraLength + commentLength;
    }
    throw new AssertionError(name + " is not in " + zip);
  }
}
