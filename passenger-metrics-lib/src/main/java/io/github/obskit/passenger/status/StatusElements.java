package io.github.obskit.passenger.status;

import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the element tree of a status document into the records, matching elements by their path
 * from the root so that a group's Unix {@code <group>} and the {@code <options>} subtree are
 * ignored.
 */
final class StatusElements {

  private static final int KIBIBYTE = 1024;

  private StatusElements() {}

  static PassengerStatus readDocument(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    while (true) {
      int event = xml.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        break;
      }
      if (event == XMLStreamConstants.DTD) {
        throw XmlValues.forbidden(xml, "a DOCTYPE declaration");
      }
      if (event == XMLStreamConstants.END_DOCUMENT) {
        throw XmlValues.malformed(xml, "the document has no root element");
      }
    }
    if (!"info".equals(xml.getLocalName())) {
      throw XmlValues.malformed(
          xml,
          "the root element is <"
              + xml.getLocalName()
              + ">, not <info>: this is not the output of passenger-status --show=xml");
    }
    checkFormatVersion(xml);
    PassengerStatus status = readInfo(xml);
    // Reading to the end rejects trailing garbage and a second root element.
    while (xml.hasNext()) {
      xml.next();
    }
    return status;
  }

  private static void checkFormatVersion(XMLStreamReader xml) throws PassengerStatusException {
    String version = xml.getAttributeValue(null, "version");
    int parsed;
    try {
      parsed = version == null ? 0 : Integer.parseInt(version.strip());
    } catch (NumberFormatException ex) {
      parsed = 0;
    }
    if (parsed < 2) {
      throw XmlValues.malformed(
          xml,
          "unsupported status format <info version=\""
              + UntrustedText.quote(Objects.requireNonNullElse(version, ""))
              + "\">: only version 2 (Passenger 4) and later (Passenger 5 and 6 write 3) are"
              + " supported");
    }
  }

  private static PassengerStatus readInfo(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    String version = PassengerStatus.UNKNOWN_VERSION;
    int groupCount = -1;
    int processCount = 0;
    OptionalInt poolMax = OptionalInt.empty();
    int capacityUsed = 0;
    int waitListSize = 0;
    List<SupergroupStatus> supergroups = new ArrayList<>();
    while (XmlValues.nextChild(xml)) {
      switch (xml.getLocalName()) {
        case "passenger_version" -> version = XmlValues.text(xml);
        case "group_count" -> groupCount = XmlValues.intValue(xml);
        case "process_count" -> processCount = XmlValues.intValue(xml);
        case "max" -> poolMax = OptionalInt.of(XmlValues.intValue(xml));
        // Passenger 4.0 called the capacity "utilization".
        case "capacity_used", "utilization" -> capacityUsed = XmlValues.intValue(xml);
        case "get_wait_list_size" -> waitListSize = XmlValues.intValue(xml);
        case "supergroups" -> readSupergroups(xml, supergroups);
        default -> XmlValues.skipElement(xml);
      }
    }
    if (groupCount < 0) {
      groupCount = supergroups.stream().mapToInt(supergroup -> supergroup.groups().size()).sum();
    }
    checkPidsUnique(supergroups);
    return new PassengerStatus(
        version, groupCount, processCount, poolMax, capacityUsed, waitListSize, supergroups);
  }

  /**
   * Rejects two processes with one pid: a host runs one process per pid, so such a document is not
   * a status, and merging or dropping either would report a process that does not exist.
   */
  private static void checkPidsUnique(List<SupergroupStatus> supergroups)
      throws PassengerStatusException {
    Map<Long, String> seen = new HashMap<>();
    for (SupergroupStatus supergroup : supergroups) {
      for (ProcessStatus process : supergroup.processes()) {
        String before = seen.putIfAbsent(process.pid(), supergroup.name());
        if (before != null) {
          throw new PassengerStatusException(
              Reason.MALFORMED,
              "invalid Passenger status: pid "
                  + process.pid()
                  + " is reported twice (in "
                  + UntrustedText.quote(before)
                  + " and "
                  + UntrustedText.quote(supergroup.name())
                  + ")");
        }
      }
    }
  }

  private static void readSupergroups(XMLStreamReader xml, List<SupergroupStatus> supergroups)
      throws XMLStreamException, PassengerStatusException {
    while (XmlValues.nextChild(xml)) {
      if ("supergroup".equals(xml.getLocalName())) {
        supergroups.add(readSupergroup(xml));
      } else {
        XmlValues.skipElement(xml);
      }
    }
  }

  private static SupergroupStatus readSupergroup(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    Location start = xml.getLocation();
    String name = null;
    String state = "";
    int capacityUsed = 0;
    List<GroupStatus> groups = new ArrayList<>();
    while (XmlValues.nextChild(xml)) {
      switch (xml.getLocalName()) {
        case "name" -> name = XmlValues.text(xml);
        case "state" -> state = XmlValues.text(xml);
        case "capacity_used", "utilization" -> capacityUsed = XmlValues.intValue(xml);
        case "group" -> groups.add(readGroup(xml));
        // supergroup/get_wait_list_size is skipped on purpose: Passenger >= 5.0.10 always reports
        // 0 there; the queue is read from the groups (SupergroupStatus#waitListSize).
        default -> XmlValues.skipElement(xml);
      }
    }
    if (name == null) {
      throw XmlValues.malformed(start, "a <supergroup> has no <name>");
    }
    return new SupergroupStatus(name, state, capacityUsed, groups);
  }

  private static GroupStatus readGroup(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    Location start = xml.getLocation();
    String name = null;
    String appRoot = "";
    String appType = "";
    String environment = "";
    int capacityUsed = 0;
    int waitListSize = 0;
    int processesBeingSpawned = 0;
    int enabledProcessCount = 0;
    String lifeStatus = "";
    List<ProcessStatus> processes = new ArrayList<>();
    while (XmlValues.nextChild(xml)) {
      switch (xml.getLocalName()) {
        case "name" -> name = XmlValues.text(xml);
        case "app_root" -> appRoot = XmlValues.text(xml);
        case "app_type" -> appType = XmlValues.text(xml);
        case "environment" -> environment = XmlValues.text(xml);
        case "capacity_used", "utilization" -> capacityUsed = XmlValues.intValue(xml);
        case "get_wait_list_size" -> waitListSize = XmlValues.intValue(xml);
        case "processes_being_spawned" -> processesBeingSpawned = XmlValues.intValue(xml);
        case "enabled_process_count" -> enabledProcessCount = XmlValues.intValue(xml);
        case "life_status" -> lifeStatus = XmlValues.text(xml);
        case "processes" -> readProcesses(xml, processes);
        // Also skips the Unix <group> and <user> of the group and the whole <options> subtree.
        default -> XmlValues.skipElement(xml);
      }
    }
    if (name == null) {
      throw XmlValues.malformed(start, "a <group> has no <name>");
    }
    return new GroupStatus(
        name,
        appRoot,
        appType,
        environment,
        capacityUsed,
        waitListSize,
        processesBeingSpawned,
        enabledProcessCount,
        lifeStatus,
        processes);
  }

  private static void readProcesses(XMLStreamReader xml, List<ProcessStatus> processes)
      throws XMLStreamException, PassengerStatusException {
    while (XmlValues.nextChild(xml)) {
      if ("process".equals(xml.getLocalName())) {
        processes.add(readProcess(xml));
      } else {
        XmlValues.skipElement(xml);
      }
    }
  }

  private static ProcessStatus readProcess(XMLStreamReader xml)
      throws XMLStreamException, PassengerStatusException {
    Location start = xml.getLocation();
    long pid = -1;
    int sessions = 0;
    int concurrency = 0;
    int busyness = 0;
    long processed = 0;
    long spawnStartTime = -1;
    long spawnEndTime = -1;
    long lastUsed = -1;
    String lifeStatus = "";
    String enabled = "";
    boolean hasMetrics = false;
    long cpu = -1;
    long realMemoryKb = -1;
    long rssKb = -1;
    long swapKb = -1;
    while (XmlValues.nextChild(xml)) {
      switch (xml.getLocalName()) {
        case "pid" -> pid = XmlValues.longValue(xml);
        case "sessions" -> sessions = XmlValues.intValue(xml);
        case "concurrency" -> concurrency = XmlValues.intValue(xml);
        case "busyness" -> busyness = XmlValues.intValue(xml);
        case "processed" -> processed = XmlValues.longValue(xml);
        case "spawn_start_time" -> spawnStartTime = XmlValues.longValue(xml);
        case "spawn_end_time" -> spawnEndTime = XmlValues.longValue(xml);
        case "last_used" -> lastUsed = XmlValues.longValue(xml);
        case "life_status" -> lifeStatus = XmlValues.text(xml);
        case "enabled" -> enabled = XmlValues.text(xml);
        case "has_metrics" -> hasMetrics = "true".equals(XmlValues.text(xml));
        case "cpu" -> cpu = XmlValues.longValue(xml);
        case "real_memory" -> realMemoryKb = XmlValues.longValue(xml);
        case "rss" -> rssKb = XmlValues.longValue(xml);
        case "swap" -> swapKb = XmlValues.longValue(xml);
        default -> XmlValues.skipElement(xml);
      }
    }
    if (pid <= 0) {
      throw XmlValues.malformed(
          start, (pid < 0) ? "a <process> has no <pid>" : "a <process> has pid " + pid);
    }
    return new ProcessStatus(
        pid,
        sessions,
        concurrency,
        busyness,
        processed,
        epochMicros(spawnStartTime),
        epochMicros(spawnEndTime),
        epochMicros(lastUsed),
        lifeStatus,
        enabled,
        hasMetrics && cpu >= 0 ? OptionalDouble.of(cpu) : OptionalDouble.empty(),
        kibibytes(hasMetrics, realMemoryKb),
        kibibytes(hasMetrics, rssKb),
        kibibytes(hasMetrics, swapKb));
  }

  private static Optional<Instant> epochMicros(long micros) {
    // 0 is what Passenger reports for a time that has not happened yet (e.g. never used).
    if (micros <= 0) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000));
  }

  private static OptionalLong kibibytes(boolean hasMetrics, long kb) {
    if (!hasMetrics || kb < 0 || kb > Long.MAX_VALUE / KIBIBYTE) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(kb * KIBIBYTE);
  }
}
