package io.github.obskit.passenger.status;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Generates status documents shaped like Passenger 6's {@code /pool.xml} (same elements, options
 * and process fields as the real 6.1.2 capture), for tests and the parser benchmark.
 */
public final class StatusDocuments {

  private StatusDocuments() {}

  /** A complete document with {@code apps} applications of {@code processesPerApp} processes. */
  public static String status(int apps, int processesPerApp) {
    StringBuilder xml = new StringBuilder(apps * processesPerApp * 1500 + 4096);
    xml.append(header(apps, apps * processesPerApp));
    for (int app = 0; app < apps; app++) {
      xml.append(supergroupStart(app, processesPerApp));
      for (int process = 0; process < processesPerApp; process++) {
        xml.append(process(app * 1000 + process + 100, process));
      }
      xml.append(SUPERGROUP_END);
    }
    return xml.append(FOOTER).toString();
  }

  /** Document bytes as Passenger sends them (ASCII only, non-ASCII escaped). */
  public static byte[] bytes(String document) {
    return document.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * A well-formed document of one application with as many processes as fit in about {@code
   * approximateBytes}, produced while it is read so that the test itself holds no copy of it.
   */
  public static InputStream largeStatus(long approximateBytes) {
    return new InputStream() {
      private byte[] chunk = bytes(header(1, 0) + supergroupStart(0, 0));
      private int position;
      private long produced;
      private int processes;
      private boolean finished;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
          return 0;
        }
        if (position == chunk.length && !nextChunk()) {
          return -1;
        }
        int count = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, buffer, offset, count);
        position += count;
        produced += count;
        return count;
      }

      private boolean nextChunk() {
        if (finished) {
          return false;
        }
        if (produced < approximateBytes) {
          chunk = bytes(process(processes + 100, processes));
          processes++;
        } else {
          chunk = bytes(SUPERGROUP_END + FOOTER);
          finished = true;
        }
        position = 0;
        return true;
      }
    };
  }

  private static String header(int groups, int processes) {
    return """
        <?xml version="1.0" encoding="iso-8859-1" ?>
        <info version="3">
          <passenger_version>6.1.2</passenger_version>
          <group_count>%d</group_count>
          <process_count>%d</process_count>
          <max>%d</max>
          <capacity_used>%d</capacity_used>
          <get_wait_list_size>0</get_wait_list_size>
          <supergroups>
        """
        .formatted(groups, processes, processes, processes);
  }

  private static String supergroupStart(int app, int processes) {
    String name = "/srv/app%d &#40;production&#41;".formatted(app);
    return """
            <supergroup>
              <name>%1$s</name>
              <state>READY</state>
              <get_wait_list_size>0</get_wait_list_size>
              <capacity_used>%2$d</capacity_used>
              <group default="true">
                <name>%1$s</name>
                <component_name>%1$s</component_name>
                <app_root>/srv/app%3$d</app_root>
                <app_type>ruby</app_type>
                <environment>production</environment>
                <uuid>xxxxxxxxxxxxxxxxxxxxxxx</uuid>
                <enabled_process_count>%2$d</enabled_process_count>
                <disabling_process_count>0</disabling_process_count>
                <disabled_process_count>0</disabled_process_count>
                <capacity_used>%2$d</capacity_used>
                <get_wait_list_size>%4$d</get_wait_list_size>
                <disable_wait_list_size>0</disable_wait_list_size>
                <processes_being_spawned>0</processes_being_spawned>
                <life_status>ALIVE</life_status>
                <user>app</user>
                <uid>1420</uid>
                <group>app</group>
                <gid>1420</gid>
                <options>
                  <app_root>/srv/app%3$d</app_root>
                  <app_group_name>%1$s</app_group_name>
                  <app_type>ruby</app_type>
                  <start_command>/usr/local/bin/ruby /usr/share/passenger/helper-scripts/rack-loader.rb</start_command>
                  <startup_file>/srv/app%3$d/config.ru</startup_file>
                  <process_title>Passenger RubyApp</process_title>
                  <log_level>3</log_level>
                  <start_timeout>300000</start_timeout>
                  <environment>production</environment>
                  <base_uri>/</base_uri>
                  <spawn_method>smart</spawn_method>
                  <default_user>nobody</default_user>
                  <default_group>nogroup</default_group>
                  <integration_mode>nginx</integration_mode>
                  <min_processes>%2$d</min_processes>
                  <max_processes>0</max_processes>
                </options>
                <processes>
        """
        .formatted(name, processes, app, app % 7);
  }

  private static String process(int pid, int index) {
    long spawnEnd = 1_773_712_398_264_747L + index * 1_000_003L;
    return """
                  <process>
                    <pid>%1$d</pid>
                    <sticky_session_id>1186866690</sticky_session_id>
                    <gupid>xxxxxxx-xxxxxxxxxxx</gupid>
                    <concurrency>1</concurrency>
                    <sessions>%2$d</sessions>
                    <busyness>0</busyness>
                    <processed>%3$d</processed>
                    <spawner_creation_time>1773697173216911</spawner_creation_time>
                    <spawn_start_time>%4$d</spawn_start_time>
                    <spawn_end_time>%5$d</spawn_end_time>
                    <last_used>%6$d</last_used>
                    <last_used_desc>0s ago</last_used_desc>
                    <uptime>2h 1m 30s</uptime>
                    <life_status>ALIVE</life_status>
                    <enabled>ENABLED</enabled>
                    <has_metrics>true</has_metrics>
                    <cpu>%7$d</cpu>
                    <rss>509528</rss>
                    <pss>489797</pss>
                    <private_dirty>484884</private_dirty>
                    <swap>0</swap>
                    <real_memory>%8$d</real_memory>
                    <vmsize>1078812</vmsize>
                    <process_group_id>61</process_group_id>
                    <command>Passenger RubyApp: /srv/app &#40;production&#41;</command>
                  </process>
        """
        .formatted(
            pid,
            index % 2,
            index * 37,
            spawnEnd - 27_000_000,
            spawnEnd,
            spawnEnd + 5_000_000,
            index % 100,
            400_000 + index);
  }

  private static final String SUPERGROUP_END =
      """
              </processes>
            </group>
          </supergroup>
      """;

  private static final String FOOTER =
      """
        </supergroups>
      </info>
      """;
}
