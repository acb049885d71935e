package io.github.obskit.passenger.status.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates instance directories laid out as Passenger's watchdog creates them. */
final class InstanceDirectories {

  private InstanceDirectories() {}

  static Path create(Path registry, String suffix, String name, long watchdogPid, String password) {
    try {
      Path directory = Files.createDirectories(registry.resolve("passenger." + suffix));
      Files.createDirectories(directory.resolve("agents.s"));
      Files.createDirectories(directory.resolve("apps.s"));
      Files.writeString(directory.resolve("lock"), "");
      Files.writeString(
          directory.resolve("properties.json"),
          """
          {
             "instance_dir" : {
                "created_at" : 1773697170,
                "major_version" : 5,
                "minor_version" : 0
             },
             "integration_mode" : "nginx",
             "name" : "%s",
             "passenger_version" : "6.1.2",
             "server_software" : "nginx/1.24.0 Phusion_Passenger/6.1.2",
             "watchdog_pid" : %d
          }
          """
              .formatted(name, watchdogPid));
      if (password != null) {
        Files.writeString(directory.resolve("read_only_admin_password.txt"), password);
      }
      Files.writeString(directory.resolve("creation_finalized"), "");
      return directory;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The pid of a process that has exited. */
  static long deadPid() {
    try {
      Process process = new ProcessBuilder("true").start();
      process.waitFor();
      return process.pid();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    }
  }

  static long ownPid() {
    return ProcessHandle.current().pid();
  }
}
