package io.github.obskit.passenger.status.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.github.obskit.passenger.status.PassengerStatusParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoreApiStatusSourceTests {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final String PASSWORD = "Xo2tTbHqP6Nn8KgWcA7z";

  @TempDir Path registry;

  @Test
  void readsPoolXmlWithTheReadOnlyCredentials() throws Exception {
    Path instance = instance(PASSWORD);
    byte[] body = fixture("stuartnelson3_passenger_exporter_passenger_5.0.26.xml");

    try (FakeCoreApi api = serve(instance, PASSWORD, body, FakeCoreApi.Mode.CONTENT_LENGTH)) {
      PassengerStatus status = CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT).read();

      assertThat(status)
          .isEqualTo(
              new PassengerStatusParser().parse(new String(body, StandardCharsets.ISO_8859_1)));
      assertThat(api.requests)
          .singleElement()
          .satisfies(
              request ->
                  assertThat(request)
                      .startsWith("GET /pool.xml HTTP/1.1\r\n")
                      .contains(
                          "Authorization: Basic "
                              + Base64.getEncoder()
                                  .encodeToString(
                                      ("ro_admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8))));
    }
  }

  @Test
  void readsAChunkedAnswer() throws Exception {
    Path instance = instance(PASSWORD);
    byte[] body = fixture("stuartnelson3_passenger_exporter_passenger_5.0.26.xml");

    try (FakeCoreApi api = serve(instance, PASSWORD, body, FakeCoreApi.Mode.CHUNKED)) {
      PassengerStatus status = CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT).read();

      assertThat(status.processCount()).isEqualTo(48);
      assertThat(status.supergroups().get(0).processes()).hasSize(48);
    }
  }

  @Test
  void reportsUnauthorizedWhenThePasswordIsWrong() throws Exception {
    Path instance = instance("stale-password");

    try (FakeCoreApi api =
        serve(instance, PASSWORD, new byte[0], FakeCoreApi.Mode.CONTENT_LENGTH)) {
      PassengerStatusException error =
          failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT));

      assertThat(error.reason()).isEqualTo(Reason.UNAUTHORIZED);
      assertThat(error.getMessage()).contains("refused").contains("read_only_admin_password.txt");
    }
  }

  @Test
  void reportsUnauthorizedNamingThePasswordFileWhenItCannotBeRead() throws Exception {
    Path instance = instance(null);

    try (FakeCoreApi api =
        serve(instance, PASSWORD, new byte[0], FakeCoreApi.Mode.CONTENT_LENGTH)) {
      PassengerStatusException error =
          failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT));

      assertThat(error.reason()).isEqualTo(Reason.UNAUTHORIZED);
      assertThat(error.getMessage())
          .contains("not readable")
          .contains("read_only_admin_password.txt");
      assertThat(api.requests).singleElement().asString().doesNotContain("Authorization");
    }
  }

  @Test
  void readsAnEmptyPoolAnswerAsAStatusWithoutApplications() throws Exception {
    Path instance = instance(PASSWORD);

    try (FakeCoreApi api = serve(instance, PASSWORD, new byte[0], FakeCoreApi.Mode.POOL_EMPTY)) {
      PassengerStatus status = CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT).read();

      assertThat(status.supergroups()).isEmpty();
      assertThat(status.poolMax()).isEmpty();
      // from properties.json, as the instance reports while it serves
      assertThat(status.passengerVersion()).isEqualTo("6.1.2");
    }
  }

  @Test
  void givesUpOnASilentCoreApiAtTheTimeout() throws Exception {
    Path instance = instance(PASSWORD);

    try (FakeCoreApi api = serve(instance, PASSWORD, new byte[0], FakeCoreApi.Mode.SILENT)) {
      PassengerStatusException error =
          failure(CoreApiStatusSource.forInstanceDirectory(instance, Duration.ofMillis(300)));

      assertThat(error.reason()).isEqualTo(Reason.TIMEOUT);
      assertThat(error.getMessage()).contains("did not answer within 300 ms");
    }
  }

  @Test
  void reportsAnErrorStatusWithTheBody() throws Exception {
    Path instance = instance(PASSWORD);

    try (FakeCoreApi api = serve(instance, PASSWORD, new byte[0], FakeCoreApi.Mode.SERVER_ERROR)) {
      PassengerStatusException error =
          failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT));

      assertThat(error.reason()).isEqualTo(Reason.IO);
      assertThat(error.getMessage()).contains("HTTP 500").contains("pool error");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5", "+5", "1x", "10000000000000000"})
  void rejectsAnInvalidChunkSize(String size) throws Exception {
    PassengerStatusException error = readChunkedAfterFirstChunk(size);

    assertThat(error.reason()).isEqualTo(Reason.IO);
    assertThat(error.getMessage()).contains("invalid chunk size: " + size);
  }

  @Test
  void rejectsAChunkSizeNearTheLargestLongAsTooLarge() throws Exception {
    PassengerStatusException error = readChunkedAfterFirstChunk("7fffffffffffffff");

    assertThat(error.reason()).isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void rejectsAnAnswerLargerThanTheParserLimit() throws Exception {
    Path instance = instance(PASSWORD);
    byte[] body = fixture("stuartnelson3_passenger_exporter_passenger_5.0.26.xml");
    PassengerInstanceRegistry registryWithInstance = registry();

    try (FakeCoreApi api = serve(instance, PASSWORD, body, FakeCoreApi.Mode.CONTENT_LENGTH)) {
      PassengerStatusException error =
          failure(
              new CoreApiStatusSource(
                  registryWithInstance, null, TIMEOUT, new PassengerStatusParser(10_000)));

      assertThat(error.reason()).isEqualTo(Reason.TOO_LARGE);
    }
  }

  @Test
  void reportsNoInstanceWhenTheSocketIsMissing() {
    Path instance = instance(PASSWORD);

    PassengerStatusException error =
        failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT));

    assertThat(error.reason()).isEqualTo(Reason.NO_INSTANCE);
    assertThat(error.getMessage()).contains("agents.s");
  }

  @Test
  void discoversTheInstanceInTheRegistryOnEveryRead() throws Exception {
    byte[] body = fixture("ibotta_passenger_datadog_monitor_passenger_6.1.2.xml");
    CoreApiStatusSource source =
        new CoreApiStatusSource(registry(), "bD4s", TIMEOUT, new PassengerStatusParser());

    assertThat(failure(source).reason()).isEqualTo(Reason.NO_INSTANCE);

    Path instance = instance(PASSWORD);
    try (FakeCoreApi api = serve(instance, PASSWORD, body, FakeCoreApi.Mode.CONTENT_LENGTH)) {
      assertThat(source.read().passengerVersion()).isEqualTo("6.1.2");
    }
  }

  @Test
  void namesTheInstanceItReadsAndItsTimeout() {
    Path directory = Path.of("/tmp/passenger.abc");
    PassengerStatusParser parser = new PassengerStatusParser();

    assertThat(CoreApiStatusSource.forInstanceDirectory(directory, Duration.ofSeconds(5)))
        .hasToString("Passenger core API of " + directory + " (5 s timeout)");
    assertThat(new CoreApiStatusSource(registry(), "bD4s", Duration.ofMillis(1500), parser))
        .hasToString("Passenger core API of instance bD4s (1500 ms timeout)");
    assertThat(new CoreApiStatusSource(registry(), null, TIMEOUT, parser))
        .hasToString("Passenger core API of the discovered instance (10 s timeout)");
  }

  @Test
  void refusesASymlinkedPasswordFileAndSendsNothingOfItsTarget() throws Exception {
    Path secret = Files.writeString(this.registry.resolve("secret.txt"), "root-only secret");
    Path instance = instance(null);
    Files.createSymbolicLink(instance.resolve("read_only_admin_password.txt"), secret);

    try (FakeCoreApi api =
        serve(instance, PASSWORD, new byte[0], FakeCoreApi.Mode.CONTENT_LENGTH)) {
      PassengerStatusException error =
          failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT));

      assertThat(error.reason()).isEqualTo(Reason.IO);
      assertThat(error.getMessage()).contains("symbolic link");
      assertThat(api.requests).isEmpty();
    }
  }

  @Test
  void aPasswordFileLeadingToAnEndlessDeviceIsAClearErrorNotAnOutOfMemoryError() throws Exception {
    Path instance = instance(null);
    Files.createSymbolicLink(
        instance.resolve("read_only_admin_password.txt"), Path.of("/dev/zero"));

    try (FakeCoreApi api =
        serve(instance, PASSWORD, new byte[0], FakeCoreApi.Mode.CONTENT_LENGTH)) {
      PassengerStatusException error =
          failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT));

      assertThat(error.reason()).isEqualTo(Reason.IO);
      assertThat(error.getMessage())
          .contains("read_only_admin_password.txt")
          .contains("symbolic link");
      assertThat(api.requests).isEmpty();
    }
  }

  @Test
  void readsAtMostTheBoundOfAPasswordFile() throws Exception {
    Path instance = instance("x".repeat(CoreApiStatusSource.MAX_PASSWORD_BYTES + 1));

    try (FakeCoreApi api =
        serve(instance, PASSWORD, new byte[0], FakeCoreApi.Mode.CONTENT_LENGTH)) {
      PassengerStatusException error =
          failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT));

      assertThat(error.reason()).isEqualTo(Reason.IO);
      assertThat(error.getMessage())
          .contains("larger than " + CoreApiStatusSource.MAX_PASSWORD_BYTES + " bytes");
      assertThat(api.requests).isEmpty();
    }
  }

  @Test
  void refusesAnInstanceDirectoryWritableByOthers() throws Exception {
    Path instance = instance(PASSWORD);
    Files.setPosixFilePermissions(instance, PosixFilePermissions.fromString("rwxrwxrwx"));

    try (FakeCoreApi api =
        serve(instance, PASSWORD, new byte[0], FakeCoreApi.Mode.CONTENT_LENGTH)) {
      PassengerStatusException error =
          failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT));

      assertThat(error.reason()).isEqualTo(Reason.NO_INSTANCE);
      assertThat(error.getMessage()).contains("writable by group or others");
      assertThat(api.requests).isEmpty();
    }
  }

  @Test
  void refusesAnInstanceDirectoryOfAnotherUserInASharedRegistry() throws Exception {
    Path instance = instance(PASSWORD);
    // As /tmp: anyone may create an instance directory there.
    Files.setPosixFilePermissions(this.registry, PosixFilePermissions.fromString("rwxrwxrwx"));
    InstanceTrust onlyAnotherUser = new InstanceTrust(Set.of(54321));

    try (FakeCoreApi api =
        serve(instance, PASSWORD, new byte[0], FakeCoreApi.Mode.CONTENT_LENGTH)) {
      PassengerStatusException error =
          failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT, onlyAnotherUser));

      assertThat(error.reason()).isEqualTo(Reason.NO_INSTANCE);
      assertThat(error.getMessage()).contains("owned by uid");
      assertThat(api.requests).isEmpty();
    }
  }

  @Test
  void quotesAnErrorBodyWithItsControlCharactersEscaped() throws Exception {
    Path instance = instance(PASSWORD);
    byte[] response =
        ("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 32\r\n\r\n"
                + "\u001b[31mred\r\n2026 INFO forged\u0000 line")
            .getBytes(StandardCharsets.ISO_8859_1);

    try (FakeCoreApi api = serve(instance, PASSWORD, response, FakeCoreApi.Mode.RAW)) {
      PassengerStatusException error =
          failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT));

      assertThat(error.getMessage())
          .contains("\\u001b[31mred\\r\\n2026 INFO forged\\u0000 line")
          .doesNotContain("\u001b", "\r", "\n", "\u0000");
    }
  }

  /** Reads an answer whose second chunk has the given size line. */
  private PassengerStatusException readChunkedAfterFirstChunk(String size) throws Exception {
    Path instance = instance(PASSWORD);
    byte[] response =
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<info\r\n"
                + size
                + "\r\n version=\"3\"/>\r\n0\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    try (FakeCoreApi api = serve(instance, PASSWORD, response, FakeCoreApi.Mode.RAW)) {
      return failure(CoreApiStatusSource.forInstanceDirectory(instance, TIMEOUT));
    }
  }

  private PassengerInstanceRegistry registry() {
    return new PassengerInstanceRegistry(
        Map.of("PASSENGER_INSTANCE_REGISTRY_DIR", registry.toString())::get);
  }

  private Path instance(String password) {
    return InstanceDirectories.create(
        registry, "Wk3mZ9q", "bD4sWYXe", InstanceDirectories.ownPid(), password);
  }

  private static FakeCoreApi serve(
      Path instance, String password, byte[] body, FakeCoreApi.Mode mode) throws IOException {
    return new FakeCoreApi(instance.resolve("agents.s/core_api"), password, body, mode);
  }

  private static PassengerStatusException failure(PassengerStatusSource source) {
    PassengerStatusException error =
        catchThrowableOfType(PassengerStatusException.class, source::read);
    assertThat(error).as("read() must fail").isNotNull();
    return error;
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream input =
        CoreApiStatusSourceTests.class.getResourceAsStream("/fixtures/" + name)) {
      return input.readAllBytes();
    }
  }
}
