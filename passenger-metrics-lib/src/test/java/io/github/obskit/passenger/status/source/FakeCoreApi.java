package io.github.obskit.passenger.status.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for Passenger's core API: an HTTP server on a real UNIX domain socket that serves
 * {@code /pool.xml} only to {@code ro_admin} with the right password, as Passenger does.
 */
final class FakeCoreApi implements AutoCloseable {

  enum Mode {
    CONTENT_LENGTH,
    CHUNKED,
    POOL_EMPTY,
    SERVER_ERROR,
    SILENT,
    /** Sends the body as the whole response, status line and headers included. */
    RAW
  }

  private final ServerSocketChannel server;

  private final Thread thread;

  private final byte[] body;

  private final String expectedAuthorization;

  private final Mode mode;

  final List<String> requests = new CopyOnWriteArrayList<>();

  FakeCoreApi(Path socket, String password, byte[] body, Mode mode) throws IOException {
    Files.createDirectories(socket.getParent());
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    this.server.bind(UnixDomainSocketAddress.of(socket));
    this.body = body;
    this.mode = mode;
    this.expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("ro_admin:" + password).getBytes(StandardCharsets.UTF_8));
    this.thread = new Thread(this::serve, "fake-core-api");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void serve() {
    while (server.isOpen()) {
      try (SocketChannel client = server.accept()) {
        String request = readRequest(client);
        requests.add(request);
        if (mode == Mode.SILENT) {
          // Holds the connection open without answering until the client gives up.
          ByteBuffer ignored = ByteBuffer.allocate(256);
          while (client.read(ignored.clear()) >= 0) {
            // Blocks until the client disconnects.
          }
          continue;
        }
        client.write(ByteBuffer.wrap(response(request)));
      } catch (IOException ex) {
        // Server closed, or the client went away: nothing to answer.
      }
    }
  }

  private byte[] response(String request) throws IOException {
    if (mode == Mode.RAW) {
      return body;
    }
    boolean authorized = request.contains("\r\nAuthorization: " + expectedAuthorization + "\r\n");
    if (mode == Mode.POOL_EMPTY) {
      return ascii("HTTP/1.1 401 Unauthorized\r\npool-empty: true\r\nContent-Length: 0\r\n\r\n");
    }
    if (!authorized) {
      return ascii(
          "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"api\"\r\n"
              + "Content-Length: 12\r\n\r\nUnauthorized");
    }
    if (mode == Mode.SERVER_ERROR) {
      return ascii("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 10\r\n\r\npool error");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (mode == Mode.CHUNKED) {
      out.write(
          ascii("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n"));
      for (int start = 0; start < body.length; start += 1000) {
        int size = Math.min(1000, body.length - start);
        out.write(ascii(Integer.toHexString(size) + "\r\n"));
        out.write(body, start, size);
        out.write(ascii("\r\n"));
      }
      out.write(ascii("0\r\n\r\n"));
    } else {
      out.write(
          ascii(
              "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n"));
      out.write(body);
    }
    return out.toByteArray();
  }

  private static String readRequest(SocketChannel client) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    while (!request.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
      buffer.clear();
      if (client.read(buffer) < 0) {
        break;
      }
      request.write(buffer.array(), 0, buffer.position());
    }
    return request.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    thread.join(5_000);
  }
}
