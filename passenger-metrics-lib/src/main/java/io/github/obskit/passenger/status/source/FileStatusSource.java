package io.github.obskit.passenger.status.source;

import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.github.obskit.passenger.status.PassengerStatusParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads the status from a file holding {@code passenger-status --show=xml} output, e.g. written by
 * a cron job. The file is read again on every {@link #read()}.
 */
public final class FileStatusSource implements PassengerStatusSource {

  private final Path file;

  private final PassengerStatusParser parser;

  /**
   * Creates a source for a file, parsed with the default size limit.
   *
   * @param file the status file
   */
  public FileStatusSource(Path file) {
    this(file, new PassengerStatusParser());
  }

  /**
   * Creates a source for a file.
   *
   * @param file the status file
   * @param parser the parser, which carries the size limit
   */
  public FileStatusSource(Path file, PassengerStatusParser parser) {
    this.file = Objects.requireNonNull(file, "file");
    this.parser = Objects.requireNonNull(parser, "parser");
  }

  @Override
  public PassengerStatus read() throws PassengerStatusException {
    try (InputStream input = Files.newInputStream(file)) {
      return parser.parse(input);
    } catch (NoSuchFileException ex) {
      throw new PassengerStatusException(
          Reason.IO, "the Passenger status file " + file + " does not exist", ex);
    } catch (IOException ex) {
      throw new PassengerStatusException(
          Reason.IO, "cannot read the Passenger status file " + file + ": " + ex, ex);
    }
  }

  @Override
  public String toString() {
    return "file " + file;
  }
}
