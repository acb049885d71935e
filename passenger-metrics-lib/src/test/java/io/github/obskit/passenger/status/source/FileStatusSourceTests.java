package io.github.obskit.passenger.status.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStatusSourceTests {

  @TempDir Path directory;

  @Test
  void readsTheFileAgainOnEveryRead() throws Exception {
    Path file = directory.resolve("status.xml");
    FileStatusSource source = new FileStatusSource(file);

    copyFixture("ibotta_passenger_datadog_monitor_passenger_6.1.2.xml", file);
    assertThat(source.read().processCount()).isEqualTo(3);

    copyFixture("stuartnelson3_passenger_exporter_passenger_5.0.26.xml", file);
    assertThat(source.read().processCount()).isEqualTo(48);
  }

  @Test
  void reportsAMissingFileByName() {
    Path missing = directory.resolve("missing.xml");

    PassengerStatusException error =
        catchThrowableOfType(
            PassengerStatusException.class, () -> new FileStatusSource(missing).read());

    assertThat(error.reason()).isEqualTo(Reason.IO);
    assertThat(error.getMessage()).contains(missing.toString()).contains("does not exist");
  }

  @Test
  void reportsAnEmptyFile() throws Exception {
    Path empty = Files.writeString(directory.resolve("empty.xml"), "");

    PassengerStatusException error =
        catchThrowableOfType(
            PassengerStatusException.class, () -> new FileStatusSource(empty).read());

    assertThat(error.reason()).isEqualTo(Reason.EMPTY);
  }

  private void copyFixture(String name, Path target) throws IOException {
    try (InputStream input = getClass().getResourceAsStream("/fixtures/" + name)) {
      Files.copy(input, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
