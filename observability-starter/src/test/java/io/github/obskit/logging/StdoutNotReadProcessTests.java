package io.github.obskit.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real process with a small heap that logs into a stdout pipe nobody reads, then gets SIGTERM:
 * its memory stays bounded, the pipe holds only whole JSON lines, and every event it logged is
 * either in the pipe or counted as dropped.
 */
class StdoutNotReadProcessTests {

  private static final JsonMapper json = JsonMapper.builder().build();

  private static final Pattern COUNTS = Pattern.compile("logged=(\\d+) dropped=(\\d+)");

  @TempDir Path directory;

  @Test
  void sigtermLeavesOnlyWholeLinesAndCountsEveryEventNotWritten() throws Exception {
    Path stderr = this.directory.resolve("stderr.txt");
    Path go = this.directory.resolve("go");
    Path stdoutFile = this.directory.resolve("stdout.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // The pipe's reader is a shell that reads nothing until told to, after the logger has ended:
    // the JVM's own Process streams would be drained and closed by its reaper at exit.
    Process pipeline =
        new ProcessBuilder(
                "bash",
                "-c",
                "\"$0\" -Xmx64m -XX:+ExitOnOutOfMemoryError -cp \"$1\" \"$2\" 2> \"$3\""
                    + " | { while [ ! -e \"$4\" ]; do sleep 0.05; done; cat > \"$5\"; }",
                java,
                classpath,
                StdoutNotReadApplication.class.getName(),
                stderr.toString(),
                go.toString(),
                stdoutFile.toString())
            .start();
    try {
      // Nobody reads stdout: the pipe fills, the appender drops.
      await()
          .atMost(Waits.PROCESS)
          .until(
              () ->
                  !pipeline.isAlive()
                      || read(stderr).contains(StdoutNotReadApplication.BACKLOGGED + " pid="));
      Matcher pid = Pattern.compile("pid=(\\d+)").matcher(read(stderr));
      assertThat(pid.find()).as(read(stderr)).isTrue();
      ProcessHandle logger = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();

      assertThat(logger.destroy()).as("SIGTERM sent").isTrue();

      // Seconds on a quiet machine; over a minute was seen with every core busy (stress-ng).
      awaitExit(logger, this.directory);
      Files.writeString(go, "");
      assertThat(pipeline.waitFor(Waits.PROCESS.toSeconds(), TimeUnit.SECONDS))
          .as("the reader has read")
          .isTrue();
      String output = Files.readString(stdoutFile, StandardCharsets.UTF_8);
      String tail = output.substring(Math.max(0, output.length() - 300));
      assertThat(output).isNotEmpty();
      assertThat(output.endsWith("\n")).as("a whole last line: %s", tail).isTrue();
      List<String> lines = output.lines().toList();
      for (String line : lines) {
        assertThat(line.getBytes(StandardCharsets.UTF_8).length)
            .as("length of a line")
            .isLessThan(4096);
        JsonNode event = json.readTree(line);
        assertThat(event.path("logger_name").asString()).isEqualTo("backlog");
      }
      String report = read(stderr);
      Matcher counts = COUNTS.matcher(report);
      assertThat(counts.find()).as(report).isTrue();
      long logged = Long.parseLong(counts.group(1));
      long dropped = Long.parseLong(counts.group(2));
      assertThat(lines.size() + dropped).as(report).isEqualTo(logged);
      assertThat(report).contains("log events not written after waiting 500 milliseconds");
    } finally {
      pipeline.descendants().forEach(ProcessHandle::destroyForcibly);
      pipeline.destroyForcibly();
    }
  }

  private static void awaitExit(ProcessHandle logger, Path directory) throws Exception {
    try {
      logger.onExit().get(Waits.PROCESS.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException ex) {
      throw new AssertionError(
          "the logger did not exit within "
              + Waits.PROCESS
              + " of SIGTERM; its stderr:\n"
              + read(directory.resolve("stderr.txt"))
              + "\nits threads:\n"
              + threads(logger, directory),
          ex);
    }
  }

  // jcmd may not get an answer from a stuck JVM either: bounded, with whatever it printed.
  private static String threads(ProcessHandle process, Path directory) throws Exception {
    Path output = directory.resolve("threads.txt");
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process dump =
        new ProcessBuilder(jcmd, Long.toString(process.pid()), "Thread.print")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!dump.waitFor(Waits.HTTP.toSeconds(), TimeUnit.SECONDS)) {
      dump.destroyForcibly();
    }
    return read(output);
  }

  private static String read(Path file) throws Exception {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
