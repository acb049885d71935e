package io.github.obskit.passenger.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a scraper's {@code Accept} and {@code Accept-Encoding} headers with their weights ({@code
 * q}), which the Prometheus client's own handler does not: it serves OpenMetrics to {@code
 * application/openmetrics-text;q=0}. Malformed parts are ignored, never an error: a scraper that
 * writes a header badly still gets the default format.
 */
final class ContentNegotiation {

  /** The formats {@code serve} writes, as the Prometheus client's handler recognises them. */
  enum Format {
    TEXT("text/plain", "text/plain; version=0.0.4"),
    OPENMETRICS("application/openmetrics-text", "application/openmetrics-text; version=1.0.0"),
    PROTOBUF(
        "application/vnd.google.protobuf",
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
            + " encoding=delimited");

    private final String mediaType;

    private final String acceptHeader;

    Format(String mediaType, String acceptHeader) {
      this.mediaType = mediaType;
      this.acceptHeader = acceptHeader;
    }

    /** An {@code Accept} header that selects exactly this format in the client's handler. */
    String acceptHeader() {
      return this.acceptHeader;
    }
  }

  private ContentNegotiation() {}

  /**
   * The format to answer with: the one with the highest weight; among equal weights the one named
   * most specifically, then text. Without a header, text.
   *
   * @param accept the {@code Accept} header, or {@code null}
   * @return the format, or empty when every format is refused (weight 0 or not listed, and text
   *     refused explicitly)
   */
  static Optional<Format> format(String accept) {
    if (accept == null || accept.isBlank()) {
      return Optional.of(Format.TEXT);
    }
    Format best = null;
    Weight bestWeight = Weight.NONE;
    boolean textRefused = false;
    for (Format format : Format.values()) {
      Weight weight = weightOf(format.mediaType, accept);
      if (format == Format.TEXT && weight.specificity == 2 && weight.q <= 0) {
        textRefused = true;
      }
      if (weight.q > 0 && weight.isBetterThan(bestWeight)) {
        best = format;
        bestWeight = weight;
      }
    }
    if (best == null) {
      // Nothing acceptable was named: HTTP lets a server answer with its default anyway, which
      // is what a scraper that names only formats we lack can still read, unless it refused it.
      return textRefused ? Optional.empty() : Optional.of(Format.TEXT);
    }
    return Optional.of(best);
  }

  /**
   * Whether an {@code Accept-Encoding} header allows gzip: listed (or {@code *}) without {@code
   * q=0}.
   *
   * @param acceptEncoding the header's values, or {@code null}
   * @return whether to compress
   */
  static boolean acceptsGzip(List<String> acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String header : acceptEncoding) {
      for (String coding : header.split(",")) {
        String[] parts = coding.split(";");
        if (parts.length == 0) {
          continue;
        }
        String name = parts[0].strip().toLowerCase(Locale.ROOT);
        if (name.equals("gzip") || name.equals("x-gzip")) {
          return quality(parts) > 0;
        }
      }
    }
    return false;
  }

  private static Weight weightOf(String mediaType, String accept) {
    String type = mediaType.substring(0, mediaType.indexOf('/'));
    Weight weight = Weight.NONE;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      if (parts.length == 0) {
        continue;
      }
      String name = parts[0].strip().toLowerCase(Locale.ROOT);
      int specificity;
      if (name.equals(mediaType)) {
        specificity = 2;
      } else if (name.equals(type + "/*")) {
        specificity = 1;
      } else if (name.equals("*/*")) {
        specificity = 0;
      } else {
        continue;
      }
      // The most specific range that matches decides (RFC 9110, 12.5.1).
      if (specificity > weight.specificity
          || (specificity == weight.specificity && quality(parts) > weight.q)) {
        weight = new Weight(quality(parts), specificity);
      }
    }
    return weight;
  }

  /** The {@code q} parameter of a range or coding, 1 without one; a malformed one is 0. */
  private static double quality(String[] rangeWithParameters) {
    for (int i = 1; i < rangeWithParameters.length; i++) {
      String parameter = rangeWithParameters[i].strip().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("q=")) {
        try {
          double q = Double.parseDouble(parameter.substring(2).strip());
          return (q >= 0 && q <= 1) ? q : 0;
        } catch (NumberFormatException ex) {
          return 0;
        }
      }
    }
    return 1;
  }

  private record Weight(double q, int specificity) {

    static final Weight NONE = new Weight(0, -1);

    boolean isBetterThan(Weight other) {
      return this.q > other.q || (this.q == other.q && this.specificity > other.specificity);
    }
  }
}
