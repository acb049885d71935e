package io.github.obskit.autoconfigure.tracing;

import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * The Prometheus client's view of the current span while no span is exported: never sampled, so no
 * exemplar points at a trace that no backend will ever have.
 */
public final class UnexportedTracesSpanContext implements SpanContext {

  @Override
  public String getCurrentTraceId() {
    return null;
  }

  @Override
  public String getCurrentSpanId() {
    return null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    return false;
  }

  @Override
  public void markCurrentSpanAsExemplar() {}
}
