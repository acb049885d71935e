package io.github.obskit.passenger.status.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassengerInstanceRegistryTests {

  @TempDir Path registry;

  @Test
  void searchesTmpdirThenTmpThenTheRpmDirectory() {
    assertThat(new PassengerInstanceRegistry(Map.of("TMPDIR", "/var/tmp/user")::get).directories())
        .containsExactly(
            Path.of("/var/tmp/user"), Path.of("/tmp"), Path.of("/var/run/passenger-instreg"));
    assertThat(new PassengerInstanceRegistry(Map.of("TMPDIR", "/tmp/")::get).directories())
        .containsExactly(Path.of("/tmp"), Path.of("/var/run/passenger-instreg"));
    assertThat(new PassengerInstanceRegistry(Map.<String, String>of()::get).directories())
        .containsExactly(Path.of("/tmp"), Path.of("/var/run/passenger-instreg"));
  }

  @Test
  void searchesOnlyTheConfiguredRegistryDirectoryWhenSet() {
    PassengerInstanceRegistry configured =
        new PassengerInstanceRegistry(
            Map.of("PASSENGER_INSTANCE_REGISTRY_DIR", "/run/passenger", "TMPDIR", "/var/tmp")::get);

    assertThat(configured.directories()).containsExactly(Path.of("/run/passenger"));
  }

  @Test
  void listsOnlyFinalizedReadableLiveInstances() throws Exception {
    InstanceDirectories.create(registry, "live0001", "live", InstanceDirectories.ownPid(), "pw");
    InstanceDirectories.create(registry, "dead0001", "dead", InstanceDirectories.deadPid(), "pw");
    Path unfinished =
        InstanceDirectories.create(
            registry, "unfin001", "unfinished", InstanceDirectories.ownPid(), "pw");
    Files.delete(unfinished.resolve("creation_finalized"));
    Path corrupted =
        InstanceDirectories.create(
            registry, "corrupt1", "corrupted", InstanceDirectories.ownPid(), "pw");
    Files.writeString(corrupted.resolve("properties.json"), "{\"name\": \"corrupted\", ");
    Path other =
        InstanceDirectories.create(registry, "x", "other", InstanceDirectories.ownPid(), "pw");
    Files.move(other, registry.resolve("nginx.other"));

    assertThat(registryAt(registry).instances())
        .singleElement()
        .satisfies(
            instance -> {
              assertThat(instance.name()).isEqualTo("live");
              assertThat(instance.directory()).isEqualTo(registry.resolve("passenger.live0001"));
              assertThat(instance.watchdogPid()).isEqualTo(InstanceDirectories.ownPid());
              assertThat(instance.coreApiSocket())
                  .isEqualTo(registry.resolve("passenger.live0001/agents.s/core_api"));
            });
  }

  @Test
  void treatsAnInstanceWhoseSocketAcceptsConnectionsAsAliveEvenIfItsWatchdogIsInvisible()
      throws Exception {
    Path directory =
        InstanceDirectories.create(
            registry, "sidecar1", "sidecar", InstanceDirectories.deadPid(), "pw");
    try (FakeCoreApi api =
        new FakeCoreApi(
            directory.resolve("agents.s/core_api"),
            "pw",
            new byte[0],
            FakeCoreApi.Mode.CONTENT_LENGTH)) {
      assertThat(registryAt(registry).instances())
          .extracting(PassengerInstance::name)
          .containsExactly("sidecar");
    }
    // Closing the server leaves the socket file behind, as a crashed Passenger does.
    assertThat(directory.resolve("agents.s/core_api")).exists();
    assertThat(registryAt(registry).instances()).isEmpty();
  }

  @Test
  void reportsNoInstanceNamingTheDirectoriesAndTheVariable() {
    PassengerStatusException error = selectFailure(registryAt(registry), null);

    assertThat(error.reason()).isEqualTo(Reason.NO_INSTANCE);
    assertThat(error.getMessage())
        .contains(registry.toString())
        .contains("PASSENGER_INSTANCE_REGISTRY_DIR");
  }

  @Test
  void selectsTheOnlyInstanceWithoutAName() throws Exception {
    InstanceDirectories.create(registry, "aaaaaaa", "bD4sWYXe", 1, "pw");

    assertThat(anyLiveRegistry().select(null).name()).isEqualTo("bD4sWYXe");
  }

  @Test
  void refusesToGuessBetweenSeveralInstances() {
    InstanceDirectories.create(registry, "aaaaaaa", "bD4sWYXe", 1, "pw");
    InstanceDirectories.create(registry, "bbbbbbb", "bQk2mcRd", 2, "pw");

    PassengerStatusException error = selectFailure(anyLiveRegistry(), null);

    assertThat(error.reason()).isEqualTo(Reason.MULTIPLE_INSTANCES);
    assertThat(error.getMessage()).contains("bD4sWYXe").contains("bQk2mcRd").contains("name");
  }

  @Test
  void selectsByExactNameOrUniquePrefix() throws Exception {
    InstanceDirectories.create(registry, "aaaaaaa", "bD4sWYXe", 1, "pw");
    InstanceDirectories.create(registry, "bbbbbbb", "bQk2mcRd", 2, "pw");
    InstanceDirectories.create(registry, "ccccccc", "bQk2", 3, "pw");
    PassengerInstanceRegistry instances = anyLiveRegistry();

    assertThat(instances.select("bD4sWYXe").directory())
        .isEqualTo(registry.resolve("passenger.aaaaaaa"));
    assertThat(instances.select("bD").name()).isEqualTo("bD4sWYXe");
    assertThat(instances.select("bQk2").name()).isEqualTo("bQk2");
    assertThat(selectFailure(instances, "b").reason()).isEqualTo(Reason.MULTIPLE_INSTANCES);
    PassengerStatusException unknown = selectFailure(instances, "zzz");
    assertThat(unknown.reason()).isEqualTo(Reason.NO_INSTANCE);
    assertThat(unknown.getMessage()).contains("'zzz'").contains("bD4sWYXe");
  }

  @Test
  void refusesSymlinkedAndOthersWritableInstanceDirectoriesAndNamesThem() throws Exception {
    Path elsewhere = Files.createDirectories(this.registry.resolve("elsewhere"));
    Path real =
        InstanceDirectories.create(
            elsewhere, "real0001", "real", InstanceDirectories.ownPid(), "pw");
    Files.createSymbolicLink(this.registry.resolve("passenger.link0001"), real);
    Path writable =
        InstanceDirectories.create(
            this.registry, "open0001", "open", InstanceDirectories.ownPid(), "pw");
    Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwxrwxr-x"));

    PassengerStatusException error = selectFailure(anyLiveRegistry(), null);

    assertThat(error.reason()).isEqualTo(Reason.NO_INSTANCE);
    assertThat(error.getMessage())
        .contains("refused: ")
        .contains("passenger.link0001 (it is a symbolic link)")
        .contains("passenger.open0001 (it is writable by group or others)");
  }

  @Test
  void refusesInstanceDirectoriesOfUntrustedOwnersInASharedRegistry() throws Exception {
    InstanceDirectories.create(
        this.registry, "mine0001", "mine", InstanceDirectories.ownPid(), "pw");
    PassengerInstanceRegistry trustingAnotherUser =
        new PassengerInstanceRegistry(
            Map.of("PASSENGER_INSTANCE_REGISTRY_DIR", registry.toString())::get,
            instance -> true,
            new InstanceTrust(Set.of(54321)));
    // A registry only its owner can write: its owner's instance directories are trusted.
    assertThat(trustingAnotherUser.instances()).hasSize(1);

    // As /tmp: anyone may create an instance directory there.
    Files.setPosixFilePermissions(this.registry, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThat(trustingAnotherUser.instances()).isEmpty();
    assertThat(selectFailure(trustingAnotherUser, null).getMessage())
        .contains("passenger.mine0001 (it is owned by uid");
  }

  @Test
  void quotesHostileInstanceNamesWithTheirControlCharactersEscaped() throws Exception {
    InstanceDirectories.create(
        this.registry, "evil0001", "evil\u001b[2J\nforged", InstanceDirectories.ownPid(), "pw");
    InstanceDirectories.create(
        this.registry, "good0001", "good", InstanceDirectories.ownPid(), "pw");

    PassengerStatusException error = selectFailure(anyLiveRegistry(), null);

    assertThat(error.getMessage())
        .contains("evil\\u001b[2J\\nforged")
        .doesNotContain("\u001b", "\n");
  }

  private static PassengerInstanceRegistry registryAt(Path directory) {
    return new PassengerInstanceRegistry(
        Map.of("PASSENGER_INSTANCE_REGISTRY_DIR", directory.toString())::get);
  }

  private PassengerInstanceRegistry anyLiveRegistry() {
    return new PassengerInstanceRegistry(
        Map.of("PASSENGER_INSTANCE_REGISTRY_DIR", registry.toString())::get,
        instance -> true,
        InstanceTrust.SYSTEM);
  }

  private static PassengerStatusException selectFailure(
      PassengerInstanceRegistry registry, String name) {
    PassengerStatusException error =
        catchThrowableOfType(PassengerStatusException.class, () -> registry.select(name));
    assertThat(error).as("select(%s) must fail", name).isNotNull();
    return error;
  }
}
