package io.github.obskit.stack.kubernetes;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool an end-to-end check runs: found on the PATH or the check fails naming the
 * Debian package to install, never skipped.
 */
record ExternalTool(String command, String debianPackage) {

  static final ExternalTool JSONNET = new ExternalTool("jsonnet", "jsonnet");

  static final ExternalTool NODE = new ExternalTool("node", "nodejs");

  static final ExternalTool NPM = new ExternalTool("npm", "npm");

  Path path() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, this.command);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail(
        "%s is not installed: install the Debian package %s (apt-get install %s)",
        this.command, this.debianPackage, this.debianPackage);
  }

  /** Runs the tool in a folder, with optional standard input, and waits at most the timeout. */
  Result run(Path dir, String stdin, Duration timeout, String... arguments) {
    List<String> command = new java.util.ArrayList<>();
    command.add(path().toString());
    command.addAll(List.of(arguments));
    try {
      Path output = Files.createTempFile("obskit-" + this.command, ".out");
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        return fail("%s did not finish within %s", String.join(" ", command), timeout);
      }
      String text = Files.readString(output);
      Files.delete(output);
      return new Result(process.exitValue(), text);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    }
  }

  record Result(int exitCode, String output) {}
}
