package io.github.obskit.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for the programs the end-to-end tests start. */
public final class Ports {

  private Ports() {}

  /**
   * A port on 127.0.0.1 that the kernel reports free right now.
   *
   * @return the port
   */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
