package io.github.obskit.passenger.status;

import java.util.List;
import java.util.Objects;

/**
 * One application ({@code <supergroup>}) with its groups.
 *
 * @param name the application name, e.g. {@code /srv/app (production)}; the {@code supergroup}
 *     label
 * @param state the supergroup state, e.g. {@code READY}
 * @param capacityUsed capacity used by the application
 * @param groups the groups of the application; usually exactly one, the default group
 */
public record SupergroupStatus(
    String name, String state, int capacityUsed, List<GroupStatus> groups) {

  public SupergroupStatus {
    Objects.requireNonNull(name, "name");
    groups = List.copyOf(groups);
  }

  /**
   * Requests queued for this application. Read from the group level because Passenger 5.0.10 and
   * later always report {@code 0} at the supergroup level.
   */
  public int waitListSize() {
    return groups.stream().mapToInt(GroupStatus::waitListSize).sum();
  }

  /** All processes of all groups of this application. */
  public List<ProcessStatus> processes() {
    return groups.stream().flatMap(group -> group.processes().stream()).toList();
  }
}
