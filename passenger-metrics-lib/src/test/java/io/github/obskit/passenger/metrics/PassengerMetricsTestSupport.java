package io.github.obskit.passenger.metrics;

/** Constants shared by the binder tests. */
final class PassengerMetricsTestSupport {

  /** The Prometheus text format the textfile collector and Prometheus 2 read. */
  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private PassengerMetricsTestSupport() {}
}
