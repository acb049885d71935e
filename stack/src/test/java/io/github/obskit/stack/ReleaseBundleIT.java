package io.github.obskit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The release profile as RELEASING.md runs it, on two copies of the repository set to the release
 * version, without a real key and uploading nothing: the first signs with a throw-away key and
 * builds the Maven Central bundle, the second builds the same bundle unsigned in another directory.
 * The bundle carries what Central requires, and the two builds are byte for byte the same. They run
 * in Maven's online mode, which CycloneDX's makeBom requires (it skips itself offline,
 * CycloneDX/cyclonedx-maven-plugin#439); with the local repository filled by this build's own
 * plugins they download nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseBundleIT {

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

  private static final String GROUP_PATH = "io/github/obskit/";

  private final Processes processes = new Processes("release-bundle");

  private final String snapshot = System.getProperty("obskit.project.version");

  private final String version = snapshot.replace("-SNAPSHOT", "");

  private Path gnupgHome;

  private ReleaseBundle signed;

  private ReleaseBundle unsigned;

  @BeforeAll
  void buildTheReleaseTwice() throws IOException, InterruptedException {
    gnupgHome = ThrowawayKey.generate(processes, processes.directory().resolve("gnupg"));
    // Side by side: each build mostly keeps one core busy.
    Processes.Started signedBuild = startBuild("signed", List.of("-Dgpg.homedir=" + gnupgHome));
    Processes.Started unsignedBuild = startBuild("unsigned", List.of("-Dgpg.skip=true"));
    signed = bundleOf("signed", signedBuild);
    unsigned = bundleOf("unsigned", unsignedBuild);
  }

  @AfterAll
  void stopTheKeysAgent() {
    ThrowawayKey.stopAgent(processes, gnupgHome);
    processes.close();
  }

  @Test
  void everyFileIsSignedByTheReleaseKeyAndHasItsChecksums() {
    assertThat(signed.published()).isNotEmpty();
    for (String file : signed.published()) {
      assertThat(signed.entries())
          .as("signature and checksums of %s", file)
          .contains(
              file + ".asc", file + ".md5", file + ".sha1", file + ".sha256", file + ".sha512");
      assertThat(signed.checksumProblems(file)).as("checksums of %s", file).isEmpty();
      assertThat(ThrowawayKey.verify(processes, gnupgHome, signed.file(file)))
          .as("gpg --verify %s.asc", file)
          .isZero();
    }
  }

  @Test
  void everyJarHasItsSourcesJavadocAndSbom() {
    for (String pom : signed.poms()) {
      String base = pom.substring(0, pom.length() - ".pom".length());
      assertThat(signed.entries())
          .as("SBOM of %s", pom)
          .contains(base + "-cyclonedx.json", base + "-cyclonedx.xml");
      if (signed.entries().contains(base + ".jar")) {
        assertThat(signed.entries())
            .as("sources and Javadoc of %s", base + ".jar")
            .contains(base + "-sources.jar", base + "-javadoc.jar");
      }
    }
  }

  @Test
  void everyPomCarriesWhatCentralRequires() {
    assertThat(signed.poms()).hasSize(6);
    for (String pom : signed.poms()) {
      assertThat(signed.pom(pom).missingCentralMetadata()).as("%s misses", pom).isEmpty();
    }
  }

  @Test
  void theDemoIsNotPublished() {
    assertThat(signed.entries()).noneMatch((entry) -> entry.startsWith(GROUP_PATH + "demo-app/"));
    assertThat(signed.artifactIds()).doesNotContain("demo-app").contains("observability-starter");
  }

  @Test
  void theBomHasNoParentAndManagesEveryPublishedArtifact() {
    ReleaseBundle.Pom bom =
        signed.pom(GROUP_PATH + "obskit-bom/" + version + "/obskit-bom-" + version + ".pom");
    assertThat(bom.hasParent()).as("a parent would import its dependency management").isFalse();
    Set<String> published = new TreeSet<>();
    for (String file : signed.published()) {
      String name = file.substring(file.lastIndexOf('/') + 1);
      String artifactId = file.split("/")[3];
      String rest = name.substring((artifactId + "-" + version).length());
      int dot = rest.lastIndexOf('.');
      String classifier = rest.substring(0, dot).replaceFirst("^-", "");
      String type = rest.substring(dot + 1);
      if (!Set.of("pom", "json", "xml").contains(type)
          && !Set.of("sources", "javadoc", "tests").contains(classifier)) {
        published.add(artifactId + ":" + type + ":" + classifier);
      }
    }
    assertThat(bom.managedArtifacts()).isEqualTo(published);
  }

  @Test
  void twoCleanBuildsInDifferentDirectoriesGiveByteIdenticalArtifacts() {
    Set<String> unsignedFiles = new TreeSet<>(unsigned.published());
    assertThat(unsignedFiles).isEqualTo(new TreeSet<>(signed.published()));
    List<String> different = new ArrayList<>();
    for (String file : unsignedFiles) {
      if (!signed.sha256(file).equals(unsigned.sha256(file))) {
        different.add(file);
      }
    }
    assertThat(different).as("files that differ between the two builds").isEmpty();
  }

  private Processes.Started startBuild(String name, List<String> signing) throws IOException {
    Path copy =
        ReleaseCopy.of(
            RepositoryFiles.ROOT, processes.directory().resolve(name), snapshot, version);
    List<String> command =
        new ArrayList<>(
            List.of(
                copy.resolve("mvnw").toString(),
                "-B",
                "-Prelease",
                "deploy",
                "-DskipTests",
                "-DskipUpload=true",
                "-Dmaven.install.skip=true",
                "-Dspotless.check.skip=true"));
    command.addAll(signing);
    ProcessBuilder builder = new ProcessBuilder(command).directory(copy.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return processes.start("maven-" + name, builder);
  }

  private ReleaseBundle bundleOf(String name, Processes.Started maven)
      throws IOException, InterruptedException {
    assertThat(maven.process().waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .as("%s ends within %s (log: %s)", maven.name(), BUILD_TIMEOUT, maven.log())
        .isTrue();
    assertThat(maven.process().exitValue())
        .as("%s (log: %s)%n%s", maven.name(), maven.log(), maven.tail())
        .isZero();
    return ReleaseBundle.read(
        processes
            .directory()
            .resolve(name)
            .resolve("target/central-publishing/central-bundle.zip"));
  }
}
