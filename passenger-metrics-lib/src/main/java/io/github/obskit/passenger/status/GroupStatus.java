package io.github.obskit.passenger.status;

import java.util.List;
import java.util.Objects;

/**
 * One {@code <group>} of a supergroup: the processes that run one application root.
 *
 * @param name the group name
 * @param appRoot the application root directory
 * @param appType the application type, e.g. {@code rack}
 * @param environment the application environment, e.g. {@code production}
 * @param capacityUsed capacity used by the group
 * @param waitListSize requests queued for the group
 * @param processesBeingSpawned processes currently being spawned
 * @param enabledProcessCount enabled processes
 * @param lifeStatus the group life status, e.g. {@code ALIVE}
 * @param processes the processes, in document order
 */
public record GroupStatus(
    String name,
    String appRoot,
    String appType,
    String environment,
    int capacityUsed,
    int waitListSize,
    int processesBeingSpawned,
    int enabledProcessCount,
    String lifeStatus,
    List<ProcessStatus> processes) {

  public GroupStatus {
    Objects.requireNonNull(name, "name");
    processes = List.copyOf(processes);
  }
}
