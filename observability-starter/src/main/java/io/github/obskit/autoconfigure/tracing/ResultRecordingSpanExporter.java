package io.github.obskit.autoconfigure.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/** A span exporter that reports the result of each of its delegate's exports. */
final class ResultRecordingSpanExporter implements SpanExporter {

  private final SpanExporter delegate;

  private final SpanExportResults results;

  private volatile boolean latestExportSucceeded;

  ResultRecordingSpanExporter(SpanExporter delegate, SpanExportResults results) {
    this.delegate = delegate;
    this.results = results;
    results.register(this);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    int count = spans.size();
    CompletableResultCode result;
    try {
      result = this.delegate.export(spans);
    } catch (RuntimeException ex) {
      record(false, count);
      throw ex;
    }
    // The state first, then the count: whoever sees the count sees the state of that export.
    result.whenComplete(() -> record(result.isSuccess(), count));
    return result;
  }

  private void record(boolean success, int count) {
    this.latestExportSucceeded = success;
    if (success) {
      this.results.recordExported(count);
    } else {
      this.results.recordFailed(count);
    }
  }

  boolean latestExportSucceeded() {
    return this.latestExportSucceeded;
  }

  @Override
  public CompletableResultCode flush() {
    return this.delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return this.delegate.shutdown();
  }

  @Override
  public void close() {
    this.delegate.close();
  }

  @Override
  public String toString() {
    return this.delegate.toString();
  }
}
