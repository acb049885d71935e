package io.github.obskit.passenger.status;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Writes a {@link PassengerStatus} as the XML document Passenger 6 serves ({@code passenger-status
 * --show=xml}, {@code <info version="3">}): same element tree, µs times, KB memory, {@code -1} for
 * unknown values and Passenger's byte-wise escaping of names. Fields the model does not keep (user,
 * options, …) are left out; parsers of the real document, including {@link PassengerStatusParser},
 * ignore their absence.
 */
public final class PassengerStatusXml {

  private static final int INDENT = 2;

  private PassengerStatusXml() {}

  /**
   * Renders a status.
   *
   * @param status the status
   * @return the XML document, ASCII only, with Passenger's {@code iso-8859-1} header
   */
  public static String write(PassengerStatus status) {
    Writer xml = new Writer();
    xml.line(0, "<?xml version=\"1.0\" encoding=\"iso-8859-1\" ?>");
    xml.line(0, "<info version=\"3\">");
    xml.element(1, "passenger_version", status.passengerVersion());
    xml.element(1, "group_count", status.groupCount());
    xml.element(1, "process_count", status.processCount());
    status.poolMax().ifPresent(max -> xml.element(1, "max", max));
    xml.element(1, "capacity_used", status.capacityUsed());
    xml.element(1, "get_wait_list_size", status.waitListSize());
    xml.line(1, "<supergroups>");
    for (SupergroupStatus supergroup : status.supergroups()) {
      writeSupergroup(xml, supergroup);
    }
    xml.line(1, "</supergroups>");
    xml.line(0, "</info>");
    return xml.toString();
  }

  private static void writeSupergroup(Writer xml, SupergroupStatus supergroup) {
    xml.line(2, "<supergroup>");
    xml.element(3, "name", supergroup.name());
    xml.element(3, "state", supergroup.state());
    // Passenger 5.0.10 and later always write 0 here; the queue is at the group level.
    xml.element(3, "get_wait_list_size", 0);
    xml.element(3, "capacity_used", supergroup.capacityUsed());
    boolean first = true;
    for (GroupStatus group : supergroup.groups()) {
      writeGroup(xml, group, first);
      first = false;
    }
    xml.line(2, "</supergroup>");
  }

  private static void writeGroup(Writer xml, GroupStatus group, boolean isDefault) {
    xml.line(3, isDefault ? "<group default=\"true\">" : "<group>");
    xml.element(4, "name", group.name());
    xml.element(4, "component_name", group.name());
    xml.element(4, "app_root", group.appRoot());
    xml.element(4, "app_type", group.appType());
    xml.element(4, "environment", group.environment());
    xml.element(4, "enabled_process_count", group.enabledProcessCount());
    xml.element(4, "disabling_process_count", 0);
    xml.element(4, "disabled_process_count", 0);
    xml.element(4, "capacity_used", group.capacityUsed());
    xml.element(4, "get_wait_list_size", group.waitListSize());
    xml.element(4, "disable_wait_list_size", 0);
    xml.element(4, "processes_being_spawned", group.processesBeingSpawned());
    xml.element(4, "life_status", group.lifeStatus());
    xml.line(4, "<processes>");
    for (ProcessStatus process : group.processes()) {
      writeProcess(xml, process);
    }
    xml.line(4, "</processes>");
    xml.line(3, "</group>");
  }

  private static void writeProcess(Writer xml, ProcessStatus process) {
    xml.line(5, "<process>");
    xml.element(6, "pid", process.pid());
    xml.element(6, "concurrency", process.concurrency());
    xml.element(6, "sessions", process.sessions());
    xml.element(6, "busyness", process.busyness());
    xml.element(6, "processed", process.processed());
    xml.element(6, "spawn_start_time", micros(process.spawnStartTime()));
    xml.element(6, "spawn_end_time", micros(process.spawnEndTime()));
    xml.element(6, "last_used", micros(process.lastUsed()));
    xml.element(6, "life_status", process.lifeStatus());
    xml.element(6, "enabled", process.enabled());
    boolean hasMetrics =
        process.cpuPercent().isPresent()
            || process.realMemoryBytes().isPresent()
            || process.rssBytes().isPresent();
    if (hasMetrics) {
      xml.element(6, "has_metrics", "true");
      xml.element(6, "cpu", cpu(process.cpuPercent()));
      xml.element(6, "rss", kilobytes(process.rssBytes()));
      xml.element(6, "swap", kilobytes(process.swapBytes()));
      xml.element(6, "real_memory", kilobytes(process.realMemoryBytes()));
    }
    xml.line(5, "</process>");
  }

  private static long micros(Optional<Instant> instant) {
    return instant.map(i -> i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000).orElse(-1L);
  }

  private static long kilobytes(OptionalLong bytes) {
    return bytes.isPresent() ? bytes.getAsLong() / 1024 : -1;
  }

  private static long cpu(OptionalDouble percent) {
    return percent.isPresent() ? Math.round(percent.getAsDouble()) : -1;
  }

  /**
   * Escapes like Passenger's {@code escapeForXml}: letters, digits and a few safe characters stay,
   * every other byte of the UTF-8 encoding becomes a numeric reference ({@code é} → {@code
   * &#195;&#169;}), which is why readers re-decode names as Latin-1 → UTF-8.
   */
  static String escape(String value) {
    StringBuilder escaped = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || " /_.:+-,@".indexOf(c) >= 0;
      if (plain) {
        escaped.append((char) c);
      } else {
        escaped.append("&#").append(c).append(';');
      }
    }
    return escaped.toString();
  }

  private static final class Writer {

    private final StringBuilder text = new StringBuilder(4096);

    void line(int depth, String content) {
      this.text.append(" ".repeat(depth * INDENT)).append(content).append('\n');
    }

    void element(int depth, String name, Object value) {
      String content = (value == null) ? "" : escape(value.toString());
      line(depth, "<" + name + ">" + content + "</" + name + ">");
    }

    @Override
    public String toString() {
      return this.text.toString();
    }
  }
}
