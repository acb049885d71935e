package io.github.obskit.passenger.status.source;

import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A minimal HTTP/1.1 client for one GET over a UNIX domain socket, enough for Passenger's core API:
 * {@code Content-Length}, chunked and read-to-close bodies, one deadline for connect, write and
 * read (non-blocking channel plus selector, since socket timeouts do not apply to channels), and a
 * cap on the body size.
 */
final class UnixSocketHttpClient {

  /** Room for the status line and headers on top of the body limit. */
  private static final int HEADER_LIMIT = 64 * 1024;

  private static final Pattern HEX_DIGITS = Pattern.compile("[0-9a-fA-F]+");

  private UnixSocketHttpClient() {}

  /** A response: status code, headers with lower-case names, and the decoded body. */
  record Response(int status, Map<String, String> headers, byte[] body) {

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Response get(
      Path socket, String target, Map<String, String> headers, Duration timeout, long maxBody)
      throws PassengerStatusException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    StringBuilder request =
        new StringBuilder("GET ")
            .append(target)
            .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
        while (!channel.finishConnect()) {
          await(selector, channel, SelectionKey.OP_CONNECT, deadline, timeout);
        }
      }
      ByteBuffer out = ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      while (out.hasRemaining()) {
        if (channel.write(out) == 0) {
          await(selector, channel, SelectionKey.OP_WRITE, deadline, timeout);
        }
      }
      ResponseReader response = new ResponseReader(maxBody);
      ByteBuffer in = ByteBuffer.allocate(16 * 1024);
      while (true) {
        in.clear();
        int read = channel.read(in);
        if (read < 0) {
          return response.finishAtEndOfStream();
        }
        if (read == 0) {
          await(selector, channel, SelectionKey.OP_READ, deadline, timeout);
          continue;
        }
        Response complete = response.append(in.array(), read);
        if (complete != null) {
          return complete;
        }
      }
    }
  }

  private static void await(
      Selector selector, SocketChannel channel, int operation, long deadline, Duration timeout)
      throws IOException, PassengerStatusException {
    channel.register(selector, operation);
    long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (remaining <= 0 || selector.select(remaining) == 0 && System.nanoTime() >= deadline) {
      throw new PassengerStatusException(
          Reason.TIMEOUT,
          "the Passenger core API did not answer within " + Durations.describe(timeout));
    }
    selector.selectedKeys().clear();
  }

  /** Accumulates response bytes and says when a complete response has arrived. */
  private static final class ResponseReader {

    private final long maxBody;

    private byte[] raw = new byte[16 * 1024];

    private int length;

    private int bodyStart = -1;

    private int status;

    private Map<String, String> headers;

    private long contentLength = -1;

    private boolean chunked;

    /** Chunked decoding state: where the next unread chunk framing starts in {@link #raw}. */
    private int chunkCursor;

    private byte[] body = new byte[0];

    private int bodyLength;

    ResponseReader(long maxBody) {
      this.maxBody = maxBody;
    }

    Response append(byte[] data, int count) throws PassengerStatusException {
      if ((long) length + count > maxBody + HEADER_LIMIT) {
        throw tooLarge();
      }
      if (length + count > raw.length) {
        raw = Arrays.copyOf(raw, Math.max(length + count, raw.length * 2));
      }
      System.arraycopy(data, 0, raw, length, count);
      length += count;
      if (bodyStart < 0 && !parseHead()) {
        return null;
      }
      return completeResponse();
    }

    Response finishAtEndOfStream() throws PassengerStatusException {
      if (bodyStart < 0) {
        throw new PassengerStatusException(
            Reason.IO,
            "the Passenger core API closed the connection before sending a complete response");
      }
      Response complete = completeResponse();
      if (complete != null) {
        return complete;
      }
      if (chunked || contentLength >= 0) {
        throw new PassengerStatusException(
            Reason.IO, "the Passenger core API closed the connection in the middle of the body");
      }
      return new Response(status, headers, Arrays.copyOfRange(raw, bodyStart, length));
    }

    private boolean parseHead() throws PassengerStatusException {
      int end = indexOf(raw, length, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      if (end < 0) {
        if (length > HEADER_LIMIT) {
          throw new PassengerStatusException(
              Reason.IO, "the Passenger core API sent more than " + HEADER_LIMIT + " header bytes");
        }
        return false;
      }
      String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
        throw new PassengerStatusException(
            Reason.IO, "the Passenger core API sent an invalid status line: " + lines[0]);
      }
      try {
        status = Integer.parseInt(statusLine[1]);
      } catch (NumberFormatException ex) {
        throw new PassengerStatusException(
            Reason.IO, "the Passenger core API sent an invalid status line: " + lines[0]);
      }
      headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(
              lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).strip());
        }
      }
      chunked =
          headers
              .getOrDefault("transfer-encoding", "")
              .toLowerCase(Locale.ROOT)
              .contains("chunked");
      if (!chunked && headers.containsKey("content-length")) {
        try {
          contentLength = Long.parseLong(headers.get("content-length"));
        } catch (NumberFormatException ex) {
          throw new PassengerStatusException(
              Reason.IO,
              "the Passenger core API sent an invalid Content-Length: "
                  + headers.get("content-length"));
        }
        if (contentLength > maxBody) {
          throw tooLarge();
        }
      }
      bodyStart = end + 4;
      chunkCursor = bodyStart;
      return true;
    }

    private Response completeResponse() throws PassengerStatusException {
      if (chunked) {
        return decodeChunks()
            ? new Response(status, headers, Arrays.copyOf(body, bodyLength))
            : null;
      }
      if (contentLength >= 0 && length - bodyStart >= contentLength) {
        return new Response(
            status, headers, Arrays.copyOfRange(raw, bodyStart, bodyStart + (int) contentLength));
      }
      return null;
    }

    /** Decodes the chunks received so far; true once the last chunk and trailers arrived. */
    private boolean decodeChunks() throws PassengerStatusException {
      while (true) {
        int lineEnd = indexOf(raw, chunkCursor, length, (byte) '\n');
        if (lineEnd < 0) {
          return false;
        }
        String sizeLine =
            new String(raw, chunkCursor, lineEnd - chunkCursor, StandardCharsets.ISO_8859_1);
        int extension = sizeLine.indexOf(';');
        String digits = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).strip();
        long size = chunkSize(digits, sizeLine);
        if (size == 0) {
          return trailersComplete(lineEnd + 1);
        }
        // Compared this way round so that a size near Long.MAX_VALUE cannot overflow the sum.
        if (size > maxBody - bodyLength) {
          throw tooLarge();
        }
        int dataStart = lineEnd + 1;
        // Chunk data is followed by CRLF.
        if (length < dataStart + size + 2) {
          return false;
        }
        if (bodyLength + size > body.length) {
          body = Arrays.copyOf(body, (int) Math.max(bodyLength + size, body.length * 2L));
        }
        System.arraycopy(raw, dataStart, body, bodyLength, (int) size);
        bodyLength += (int) size;
        chunkCursor = dataStart + (int) size + 2;
      }
    }

    private static long chunkSize(String digits, String sizeLine) throws PassengerStatusException {
      // Hex digits only: Long.parseLong would also take a sign, and a negative size would index
      // outside the buffers.
      if (HEX_DIGITS.matcher(digits).matches()) {
        try {
          return Long.parseLong(digits, 16);
        } catch (NumberFormatException ex) {
          // more than 63 bits: reported below
        }
      }
      throw new PassengerStatusException(
          Reason.IO, "the Passenger core API sent an invalid chunk size: " + sizeLine.strip());
    }

    private boolean trailersComplete(int from) {
      int cursor = from;
      while (true) {
        int lineEnd = indexOf(raw, cursor, length, (byte) '\n');
        if (lineEnd < 0) {
          return false;
        }
        if (lineEnd - cursor <= 1) {
          return true;
        }
        cursor = lineEnd + 1;
      }
    }

    private PassengerStatusException tooLarge() {
      return new PassengerStatusException(
          Reason.TOO_LARGE,
          "the Passenger core API answer exceeds the size limit of " + maxBody + " bytes");
    }
  }

  private static int indexOf(byte[] data, int length, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int indexOf(byte[] data, int from, int to, byte value) {
    for (int i = from; i < to; i++) {
      if (data[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
