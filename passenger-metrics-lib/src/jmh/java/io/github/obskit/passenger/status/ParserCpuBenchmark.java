package io.github.obskit.passenger.status;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;

/**
 * Parser throughput per CPU-second of the measuring thread, plus bytes allocated per parse. On a
 * machine shared with other work, wall-clock throughput (what JMH reports) mostly measures the
 * scheduler; thread CPU time measures the parser on one core. The same document is also run
 * through the bare JDK StAX reader, the floor any StAX-based parser pays.
 *
 * <p>Arguments: measurement rounds (default 5) and CPU-seconds per round (default 2).
 */
public final class ParserCpuBenchmark {

  private ParserCpuBenchmark() {}

  /**
   * Runs the benchmark and prints one line per variant.
   *
   * @param args optional rounds and seconds per round
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    double secondsPerRound = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    byte[] document = StatusDocuments.bytes(StatusDocuments.status(50, 40));
    PassengerStatusParser parser = new PassengerStatusParser();
    ThrowingTask parse = () -> parser.parse(new ByteArrayInputStream(document));
    ThrowingTask bareStax =
        () -> {
          XMLStreamReader reader =
              XMLInputFactory.newDefaultFactory()
                  .createXMLStreamReader(
                      new InputStreamReader(
                          new ByteArrayInputStream(document), StandardCharsets.ISO_8859_1));
          while (reader.hasNext()) {
            reader.next();
          }
        };
    System.out.printf(
        "document: %d bytes (50 apps x 40 processes); JVM %s; %d CPUs%n",
        document.length, Runtime.version(), Runtime.getRuntime().availableProcessors());
    measure("warm-up", parse, document.length, 1, secondsPerRound * 3);
    measure("warm-up", bareStax, document.length, 1, secondsPerRound * 2);
    measure("PassengerStatusParser", parse, document.length, rounds, secondsPerRound);
    measure("bare JDK StAX, no model", bareStax, document.length, rounds, secondsPerRound);
  }

  private static void measure(
      String name, ThrowingTask task, int documentBytes, int rounds, double secondsPerRound)
      throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    double best = 0;
    double sum = 0;
    long allocatedPerParse = 0;
    for (int round = 0; round < rounds; round++) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long allocatedStart = threads.getThreadAllocatedBytes(thread);
      long budget = (long) (secondsPerRound * 1e9);
      int parses = 0;
      long cpu;
      do {
        task.run();
        parses++;
        cpu = threads.getCurrentThreadCpuTime() - cpuStart;
      } while (cpu < budget);
      double megabytesPerCpuSecond = (double) parses * documentBytes / 1e6 / (cpu / 1e9);
      allocatedPerParse = (threads.getThreadAllocatedBytes(thread) - allocatedStart) / parses;
      best = Math.max(best, megabytesPerCpuSecond);
      sum += megabytesPerCpuSecond;
    }
    System.out.printf(
        "%-26s mean %6.1f MB/CPU-s, best %6.1f MB/CPU-s, %,d bytes allocated per parse%n",
        name, sum / rounds, best, allocatedPerParse);
  }

  @FunctionalInterface
  private interface ThrowingTask {
    void run() throws Exception;
  }
}
