package io.github.obskit.autoconfigure.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * The OpenTelemetry {@link MeterProvider} that Boot hands to the batch span processor (and the OTLP
 * span exporter), read on demand so that their own metrics reach the Micrometer registry: the
 * processor reports its queue ({@code queueSize}) and the spans it processed or dropped because the
 * queue was full ({@code processedSpans}, attribute {@code dropped}).
 *
 * <p>Deliberately not an {@code SdkMeterProvider} bean: Boot would also make it the meter provider
 * of the application's {@code OpenTelemetry}, and every instrumentation using that would aggregate
 * metrics here that nobody reads.
 */
public final class SpanProcessorMeterProvider implements MeterProvider, AutoCloseable {

  static final String QUEUE_SIZE = "queueSize";

  static final String PROCESSED_SPANS = "processedSpans";

  static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

  private final PullingReader reader = new PullingReader();

  private final SdkMeterProvider delegate =
      SdkMeterProvider.builder().registerMetricReader(this.reader).build();

  @Override
  public MeterBuilder meterBuilder(String instrumentationScopeName) {
    return this.delegate.meterBuilder(instrumentationScopeName);
  }

  /** Spans the batch span processors dropped because their queue was full. */
  long droppedSpans() {
    return sum(PROCESSED_SPANS, (point) -> Boolean.TRUE.equals(point.getAttributes().get(DROPPED)));
  }

  /** Spans waiting in the batch span processors' queues. */
  long queuedSpans() {
    return sum(QUEUE_SIZE, (point) -> true);
  }

  private long sum(String name, Predicate<LongPointData> points) {
    long sum = 0;
    for (MetricData metric : this.reader.collect()) {
      if (metric.getName().equals(name)) {
        Iterable<LongPointData> data =
            switch (metric.getType()) {
              case LONG_SUM -> metric.getLongSumData().getPoints();
              case LONG_GAUGE -> metric.getLongGaugeData().getPoints();
              default -> List.of();
            };
        for (LongPointData point : data) {
          if (points.test(point)) {
            sum += point.getValue();
          }
        }
      }
    }
    return sum;
  }

  @Override
  public void close() {
    this.delegate.close();
  }

  /** Collects when asked, cumulatively, so that sums are monotonic counts. */
  private static final class PullingReader implements MetricReader {

    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    Collection<MetricData> collect() {
      return this.registration.collectAllMetrics();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
