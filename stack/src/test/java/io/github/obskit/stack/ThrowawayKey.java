package io.github.obskit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.e2e.Processes;
import io.github.obskit.e2e.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * A signing key made for one test in its own GnuPG home, never a real one: no passphrase, valid for
 * a day, unknown to every key server.
 */
final class ThrowawayKey {

  private static final Duration GPG_TIMEOUT = Duration.ofMinutes(2);

  private ThrowawayKey() {}

  static Path generate(Processes processes, Path home) throws IOException {
    String gpg = Tools.require("gpg", "gnupg");
    Files.createDirectories(
        home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Processes.Finished generated =
        processes.run(
            GPG_TIMEOUT,
            List.of(
                gpg,
                "--batch",
                "--homedir",
                home.toString(),
                "--passphrase",
                "",
                "--quick-gen-key",
                "obskit release check <release-check@obskit.invalid>",
                "ed25519",
                "sign",
                "1d"));
    assertThat(generated.exitCode()).as("gpg --quick-gen-key: %s", generated.output()).isZero();
    return home;
  }

  static int verify(Processes processes, Path home, Path file) {
    return processes
        .run(
            GPG_TIMEOUT,
            List.of(
                Tools.require("gpg", "gnupg"),
                "--batch",
                "--homedir",
                home.toString(),
                "--verify",
                file + ".asc",
                file.toString()))
        .exitCode();
  }

  /** Stops the agent that gpg started for the key's home; it would outlive the build otherwise. */
  static void stopAgent(Processes processes, Path home) {
    if (home != null && Files.isDirectory(home)) {
      processes.run(
          GPG_TIMEOUT,
          List.of(
              Tools.require("gpgconf", "gpgconf"),
              "--homedir",
              home.toString(),
              "--kill",
              "gpg-agent"));
    }
  }
}
