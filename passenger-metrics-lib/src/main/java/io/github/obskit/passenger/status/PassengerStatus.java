package io.github.obskit.passenger.status;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One parsed answer of {@code passenger-status --show=xml}: the whole instance at one moment.
 *
 * @param passengerVersion the Passenger version, e.g. {@code 6.1.2}, or {@link #UNKNOWN_VERSION}
 *     when the answer does not say (Passenger 4, or an instance serving no application whose answer
 *     names no version)
 * @param groupCount number of application groups
 * @param processCount number of processes in the instance
 * @param poolMax pool max size ({@code <max>}); empty when the answer does not say, as for an
 *     instance serving no application
 * @param capacityUsed capacity used by the whole instance
 * @param waitListSize requests waiting in the instance-wide queue ({@code info/get_wait_list_size})
 * @param supergroups the applications, in document order
 */
public record PassengerStatus(
    String passengerVersion,
    int groupCount,
    int processCount,
    OptionalInt poolMax,
    int capacityUsed,
    int waitListSize,
    List<SupergroupStatus> supergroups) {

  /** The version reported when the answer does not name one. */
  public static final String UNKNOWN_VERSION = "unknown";

  public PassengerStatus {
    Objects.requireNonNull(passengerVersion, "passengerVersion");
    Objects.requireNonNull(poolMax, "poolMax");
    supergroups = List.copyOf(supergroups);
  }

  /**
   * The status of an instance that serves no application. Passenger then answers without its pool's
   * details, so the pool max size is unknown.
   *
   * @param passengerVersion the version, when known from elsewhere, or {@link #UNKNOWN_VERSION}
   * @return a status without applications or processes
   */
  public static PassengerStatus empty(String passengerVersion) {
    return new PassengerStatus(passengerVersion, 0, 0, OptionalInt.empty(), 0, 0, List.of());
  }
}
