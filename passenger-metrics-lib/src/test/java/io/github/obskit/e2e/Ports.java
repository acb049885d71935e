package io.github.obskit.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for the programs the end-to-end tests start, where a test must know the port
 * before the program binds it (a Prometheus configuration that scrapes it). A program that can bind
 * port 0 and print its port should do that instead.
 *
 * <p>A port is free when it is handed out, but the program binds it later; meanwhile another
 * process could take it. So the ports come from outside the kernel's ephemeral range ({@code
 * /proc/sys/net/ipv4/ip_local_port_range}), which the kernel picks from for port 0 and outgoing
 * connections, at random, and this JVM never hands out the same port twice.
 */
public final class Ports {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** Linux's default ephemeral range, for a kernel that does not tell its own. */
  private static final Range DEFAULT_EPHEMERAL = new Range(32768, 60999);

  /** Below this, ports are commonly taken by services. */
  private static final int LOWEST = 10000;

  private static final int HIGHEST = 65535;

  private static final int ATTEMPTS = 1000;

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private static final Range CANDIDATES = candidates(ephemeral());

  private Ports() {}

  /**
   * A port on 127.0.0.1 outside the kernel's ephemeral range that is free right now and that no
   * other caller in this JVM got.
   *
   * @return the port
   */
  public static int free() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(CANDIDATES.first(), CANDIDATES.last() + 1);
      if (HANDED_OUT.add(port) && bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no free loopback port in %d-%d after %d attempts"
            .formatted(CANDIDATES.first(), CANDIDATES.last(), ATTEMPTS));
  }

  /** The larger of the ranges below and above the ephemeral one. */
  static Range candidates(Range ephemeral) {
    Range below = new Range(LOWEST, ephemeral.first() - 1);
    Range above = new Range(ephemeral.last() + 1, HIGHEST);
    Range larger = (below.size() >= above.size()) ? below : above;
    if (larger.size() < ATTEMPTS) {
      throw new IllegalStateException(
          "the ephemeral port range %d-%d leaves too few ports for the tests"
              .formatted(ephemeral.first(), ephemeral.last()));
    }
    return larger;
  }

  /** The kernel's ephemeral range, which it picks port 0 and outgoing connections from. */
  static Range ephemeral() {
    try {
      String[] bounds = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
      return new Range(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
    } catch (IOException | RuntimeException ex) {
      return DEFAULT_EPHEMERAL;
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort() == port;
    } catch (IOException ex) {
      return false;
    }
  }

  /**
   * Ports from first to last, both included.
   *
   * @param first the lowest
   * @param last the highest
   */
  record Range(int first, int last) {

    int size() {
      return Math.max(0, last - first + 1);
    }
  }
}
