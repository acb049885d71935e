package io.github.obskit.autoconfigure.tracing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The results of the application's span exports: how many spans each outcome had, and whether the
 * latest export of every exporter succeeded. Fed by {@link ResultRecordingSpanExporter}s.
 */
public final class SpanExportResults {

  private final LongAdder exportedSpans = new LongAdder();

  private final LongAdder failedSpans = new LongAdder();

  private final List<ResultRecordingSpanExporter> exporters = new CopyOnWriteArrayList<>();

  void register(ResultRecordingSpanExporter exporter) {
    this.exporters.add(exporter);
  }

  void recordExported(int spans) {
    this.exportedSpans.add(spans);
  }

  void recordFailed(int spans) {
    this.failedSpans.add(spans);
  }

  /**
   * Whether every exporter has finished an export and its latest one succeeded: false before the
   * first export, while a receiver refuses or fails, and without any exporter.
   *
   * @return whether spans ended now are likely to reach the trace backend
   */
  public boolean latestExportsSucceeded() {
    return !this.exporters.isEmpty()
        && this.exporters.stream().allMatch(ResultRecordingSpanExporter::latestExportSucceeded);
  }

  /**
   * Whether any exporter reports here: false when the application defines Boot's {@code
   * SpanExporters} bean itself, whose exporters the starter does not wrap.
   *
   * @return whether export results are recorded
   */
  public boolean recordsExports() {
    return !this.exporters.isEmpty();
  }

  /** Spans whose export succeeded. */
  public long exportedSpans() {
    return this.exportedSpans.sum();
  }

  /** Spans whose export failed; they are lost. */
  public long failedSpans() {
    return this.failedSpans.sum();
  }
}
