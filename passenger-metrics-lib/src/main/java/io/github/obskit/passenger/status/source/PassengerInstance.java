package io.github.obskit.passenger.status.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A Passenger instance: one directory {@code <registry>/passenger.XXXXXXX} created by a Passenger
 * watchdog.
 *
 * @param name the instance name, as {@code passenger-status} lists it
 * @param directory the instance directory
 * @param watchdogPid the process id of the watchdog that owns the directory
 */
public record PassengerInstance(String name, Path directory, long watchdogPid) {

  public PassengerInstance {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(directory, "directory");
  }

  /** The UNIX domain socket of the core API, {@code agents.s/core_api}. */
  public Path coreApiSocket() {
    return directory.resolve("agents.s").resolve("core_api");
  }

  /** The file holding the password of the read-only {@code ro_admin} user. */
  public Path readOnlyPasswordFile() {
    return directory.resolve("read_only_admin_password.txt");
  }
}
