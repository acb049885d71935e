package io.github.obskit.stack.kubernetes;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Packages the assembled chart with the embedded Helm, as {@code helm package CHART -d DESTINATION}
 * does, then gives every entry of the archive the build's {@code project.build.outputTimestamp}:
 * Helm stamps them with the current time, so two builds of one commit would differ. The build runs
 * it in the {@code package} phase.
 */
final class ChartPackager {

  private static final int BLOCK = 512;

  private ChartPackager() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ChartPackager CHART_DIR DESTINATION_DIR OUTPUT_TIMESTAMP");
      System.exit(2);
    }
    Path chart = Path.of(args[0]);
    Path destination = Path.of(args[1]);
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      System.err.println("no chart at " + chart + " (Chart.yaml missing)");
      System.exit(1);
    }
    Instant timestamp;
    try {
      timestamp = outputTimestamp(args[2]);
    } catch (RuntimeException ex) {
      System.err.println(
          "project.build.outputTimestamp is neither ISO-8601 nor seconds since 1970: " + args[2]);
      System.exit(2);
      return;
    }
    Files.createDirectories(destination);
    new Helm(chart).packageIt().withDestination(destination).call();
    Path archive =
        destination.resolve(
            chartField(chart, "name") + "-" + chartField(chart, "version") + ".tgz");
    stampEntries(archive, timestamp);
    System.out.println("Packaged " + chart + " into " + archive + ", entries dated " + timestamp);
  }

  /** A top-level scalar of Chart.yaml, as {@code helm package} names the archive after it. */
  static String chartField(Path chart, String field) throws IOException {
    for (String line : Files.readAllLines(chart.resolve("Chart.yaml"))) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).strip().replace("\"", "");
      }
    }
    throw new IOException(chart.resolve("Chart.yaml") + " has no " + field);
  }

  /** Reads the value the way Maven's archivers do: ISO-8601, or seconds since the epoch. */
  static Instant outputTimestamp(String value) {
    return value.chars().allMatch(Character::isDigit)
        ? Instant.ofEpochSecond(Long.parseLong(value))
        : Instant.parse(value);
  }

  /**
   * Rewrites the modification time of every entry of a gzipped ustar archive. Helm writes plain
   * ustar headers; an extended (pax or GNU) header would carry times of its own, so it is refused.
   */
  static void stampEntries(Path archive, Instant timestamp) throws IOException {
    byte[] tar;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
      tar = in.readAllBytes();
    }
    byte[] mtime =
        "%011o\0".formatted(timestamp.getEpochSecond()).getBytes(StandardCharsets.US_ASCII);
    int offset = 0;
    while (offset + BLOCK <= tar.length && tar[offset] != 0) {
      char type = (char) tar[offset + 156];
      if ("xgLK".indexOf(type) >= 0) {
        throw new IOException(archive + " has an extended header (type " + type + ")");
      }
      System.arraycopy(mtime, 0, tar, offset + 136, mtime.length);
      writeChecksum(tar, offset);
      long size =
          Long.parseLong(
              new String(tar, offset + 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(),
              8);
      offset += BLOCK + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
    }
    Path stamped = archive.resolveSibling(archive.getFileName() + ".stamped");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(stamped))) {
      out.write(tar);
    }
    Files.move(stamped, archive, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The ustar checksum: the sum of the header's bytes with the checksum field read as spaces. */
  private static void writeChecksum(byte[] tar, int header) {
    for (int i = 148; i < 156; i++) {
      tar[header + i] = ' ';
    }
    int sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += tar[header + i] & 0xff;
    }
    byte[] checksum = "%06o\0 ".formatted(sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, tar, header + 148, checksum.length);
  }
}
