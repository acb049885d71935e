package io.github.obskit.autoconfigure.metrics;

import java.util.List;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Chooses the format of a scrape from its {@code Accept} header with the weights ({@code q}) that
 * Boot's {@code ProducibleOperationArgumentResolver} and the Prometheus client's handler both
 * ignore: they answer {@code application/openmetrics-text;q=0, text/plain} with OpenMetrics.
 *
 * <p>Each format takes the weight of the most specific range that matches it (RFC 9110, 12.5.1);
 * the highest weight wins, {@code q=0} is not acceptable. Among equal weights, a format named
 * explicitly beats one matched by a wildcard; among formats named explicitly the newest wins
 * (protobuf, then OpenMetrics, then text), as Boot and the Prometheus client choose when they see
 * several; among formats matched by wildcards only the oldest wins, text 0.0.4 being the default.
 */
final class ScrapeFormatNegotiation {

  private static final int NAMED = 2;

  private ScrapeFormatNegotiation() {}

  /**
   * The format to answer with.
   *
   * @param accept the values of the {@code Accept} headers, {@code null} or empty when none
   * @return the format, {@code null} when the header accepts none of them
   * @throws InvalidMediaTypeException when a value is no list of media types
   */
  static PrometheusOutputFormat negotiate(List<String> accept) {
    List<MediaType> ranges =
        (accept != null) ? MediaType.parseMediaTypes(accept) : List.<MediaType>of();
    if (ranges.isEmpty()) {
      return PrometheusOutputFormat.CONTENT_TYPE_004;
    }
    PrometheusOutputFormat best = null;
    Weight bestWeight = null;
    for (PrometheusOutputFormat format : PrometheusOutputFormat.values()) {
      Weight weight = weightOf(format, ranges);
      if (weight != null && weight.q() > 0 && weight.isBetterThan(bestWeight)) {
        best = format;
        bestWeight = weight;
      }
    }
    return best;
  }

  private static Weight weightOf(PrometheusOutputFormat format, List<MediaType> ranges) {
    MediaType produced = new MediaType(format.getProducedMimeType());
    Weight weight = null;
    for (MediaType range : ranges) {
      int specificity = specificity(range, produced);
      if (specificity < 0) {
        continue;
      }
      Weight candidate = new Weight(range.getQualityValue(), specificity);
      if (weight == null
          || specificity > weight.specificity()
          || (specificity == weight.specificity() && candidate.q() > weight.q())) {
        weight = candidate;
      }
    }
    return weight;
  }

  // Parameters other than q (version=, proto=) do not narrow a match, as in Boot's resolver.
  private static int specificity(MediaType range, MediaType produced) {
    if (range.isWildcardType()) {
      return 0;
    }
    if (!range.getType().equals(produced.getType())) {
      return -1;
    }
    if (range.isWildcardSubtype()) {
      return 1;
    }
    return range.getSubtype().equals(produced.getSubtype()) ? NAMED : -1;
  }

  // Formats are tried oldest first, so a later one with an equal weight replaces an earlier one
  // only when both were named.
  private record Weight(double q, int specificity) {

    boolean isBetterThan(Weight other) {
      if (other == null || this.q > other.q) {
        return true;
      }
      return this.q == other.q
          && (this.specificity > other.specificity
              || (this.specificity == NAMED && other.specificity == NAMED));
    }
  }
}
