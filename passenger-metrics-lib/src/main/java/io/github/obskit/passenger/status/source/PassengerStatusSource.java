package io.github.obskit.passenger.status.source;

import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;

/** Where a Passenger status comes from: the command, the core API socket, a file or a simulator. */
@FunctionalInterface
public interface PassengerStatusSource {

  /**
   * Reads the current status. Implementations bound the time they take by their own timeout.
   *
   * @return the status, never {@code null}
   * @throws PassengerStatusException when the status cannot be read or parsed
   */
  PassengerStatus read() throws PassengerStatusException;
}
