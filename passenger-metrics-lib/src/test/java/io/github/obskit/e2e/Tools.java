package io.github.obskit.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The programs the end-to-end tests run, found on the {@code PATH}. With the {@code e2e} profile
 * on, a missing one fails the test naming the Debian package that installs it (.ci/install-tools.sh
 * installs them all): an end-to-end check is never skipped silently.
 */
public final class Tools {

  private Tools() {}

  /**
   * The absolute path of a program on the {@code PATH}.
   *
   * @param command the program's name
   * @param debianPackage the Debian package that installs it
   * @return the program's path
   */
  public static String require(String command, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String directory : path.split(File.pathSeparator)) {
      Path candidate = Path.of(directory.isEmpty() ? "." : directory, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath().toString();
      }
    }
    return fail(
        "%s is not on the PATH: install the Debian package %s (apt-get install %s), as"
            + " .ci/install-tools.sh does",
        command, debianPackage, debianPackage);
  }

  /**
   * The newest Java installed, for the demo application, which uses virtual threads (Java 21+): an
   * installed Temurin 25, else {@code $JAVA_HOME}, else the Java running the tests.
   *
   * @return the path of a {@code java} executable
   */
  public static String newestJava() {
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (var entries = Files.list(jvms)) {
        var temurin =
            entries
                .filter((jvm) -> jvm.getFileName().toString().startsWith("temurin-25-jdk-"))
                .map((jvm) -> jvm.resolve("bin/java"))
                .filter(Files::isExecutable)
                .findFirst();
        if (temurin.isPresent()) {
          return temurin.get().toString();
        }
      } catch (java.io.IOException ex) {
        // Unreadable: fall back to the JDKs below.
      }
    }
    String javaHome = System.getenv("JAVA_HOME");
    if (javaHome != null && Files.isExecutable(Path.of(javaHome, "bin", "java"))) {
      return Path.of(javaHome, "bin", "java").toString();
    }
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * A file the build made before the integration tests run, named by a system property that the
   * module's failsafe configuration sets.
   *
   * @param property the system property holding the file's path
   * @return the file
   */
  public static Path builtFile(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      return fail(
          "system property %s is not set: run the tests through ./mvnw -Pe2e verify", property);
    }
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      return fail("%s does not exist: the package phase builds it (./mvnw -B -Pe2e verify)", file);
    }
    return file;
  }
}
