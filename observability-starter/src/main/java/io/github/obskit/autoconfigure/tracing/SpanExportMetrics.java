package io.github.obskit.autoconfigure.tracing;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters the export of spans: exported, failed, dropped before export, and queued. A span that is
 * dropped or whose export failed is lost, and its exemplar (if it got one) points at nothing.
 */
public class SpanExportMetrics implements MeterBinder {

  private static final String SPANS = "spans";

  private final SpanExportResults results;

  private final SpanProcessorMeterProvider processors;

  /**
   * Creates the binder.
   *
   * @param results the results of the exports
   * @param processors the batch span processors' own metrics, or {@code null} when the application
   *     gave them a meter provider of its own
   */
  public SpanExportMetrics(SpanExportResults results, SpanProcessorMeterProvider processors) {
    this.results = results;
    this.processors = processors;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder(
            "tracing.exported.spans", this.results, SpanExportResults::exportedSpans)
        .description("Spans whose export to the trace backend succeeded")
        .baseUnit(SPANS)
        .register(registry);
    FunctionCounter.builder(
            "tracing.export.failed.spans", this.results, SpanExportResults::failedSpans)
        .description(
            "Spans whose export failed (refused, timed out or rejected by the receiver, after the"
                + " exporter's retries); they are lost")
        .baseUnit(SPANS)
        .register(registry);
    if (this.processors == null) {
      return;
    }
    FunctionCounter.builder(
            "tracing.dropped.spans", this.processors, SpanProcessorMeterProvider::droppedSpans)
        .description(
            "Spans dropped before export because the batch span processor's queue was full"
                + " (management.opentelemetry.tracing.export.max-queue-size); they are lost")
        .baseUnit(SPANS)
        .register(registry);
    Gauge.builder("tracing.queued.spans", this.processors, SpanProcessorMeterProvider::queuedSpans)
        .description("Spans waiting in the batch span processor's queue for export")
        .baseUnit(SPANS)
        .register(registry);
  }
}
