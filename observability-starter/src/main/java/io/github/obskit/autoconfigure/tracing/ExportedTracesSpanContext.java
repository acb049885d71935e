package io.github.obskit.autoconfigure.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.util.function.Supplier;

/**
 * The Prometheus client's view of the current span while spans are exported: a sampled span gives
 * an exemplar only while the latest export of every span exporter succeeded. While the trace
 * receiver refuses or fails (and before the first export succeeded), no exemplar is written: it
 * would point at a trace no backend will have.
 *
 * <p>Exemplars are written when a request ends, spans are exported later in batches; a span that
 * ends just before an export fails, or that the batch span processor drops because its queue is
 * full, may still have given an exemplar (see the starter's README).
 */
public final class ExportedTracesSpanContext implements SpanContext {

  private final Supplier<Tracer> tracer;

  private final SpanExportResults results;

  /**
   * Creates the span context.
   *
   * @param tracer the tracer holding the current span, looked up when first needed
   * @param results the results of the span exports
   */
  public ExportedTracesSpanContext(Supplier<Tracer> tracer, SpanExportResults results) {
    this.tracer = tracer;
    this.results = results;
  }

  @Override
  public String getCurrentTraceId() {
    Span span = currentSpan();
    return (span != null) ? span.context().traceId() : null;
  }

  @Override
  public String getCurrentSpanId() {
    Span span = currentSpan();
    return (span != null) ? span.context().spanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    Span span = currentSpan();
    // Exporters the starter does not wrap (the application's own SpanExporters bean) report
    // nothing:
    // their sampled spans give exemplars as Boot's own span context would.
    return span != null
        && Boolean.TRUE.equals(span.context().sampled())
        && (!this.results.recordsExports() || this.results.latestExportsSucceeded());
  }

  // Sampled spans are exported anyway; nothing to mark.
  @Override
  public void markCurrentSpanAsExemplar() {}

  private Span currentSpan() {
    Tracer current = this.tracer.get();
    return (current != null) ? current.currentSpan() : null;
  }
}
