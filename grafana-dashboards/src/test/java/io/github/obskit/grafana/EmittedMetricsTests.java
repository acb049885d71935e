package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.obskit.grafana.EmittedMetrics.Metric;
import io.github.obskit.grafana.EmittedMetrics.Origin;
import org.junit.jupiter.api.Test;

/** The markers of emitted-metrics.txt, which decide what DemoScrapeTests checks. */
class EmittedMetricsTests {

  @Test
  void anUnmarkedNameIsTheDemosOnEveryJava() {
    assertThat(EmittedMetrics.parse("# a comment\n\njvm_info\n"))
        .containsExactly(new Metric("jvm_info", Origin.DEMO, 17));
  }

  @Test
  void aJavaMarkerLimitsTheNameToThatJavaAndNewer() {
    Metric metric = EmittedMetrics.parse("jvm_threads_virtual_live_threads  [java 24+]").get(0);

    assertThat(metric.emittedByTheDemoOnJava(21)).isFalse();
    assertThat(metric.emittedByTheDemoOnJava(24)).isTrue();
    assertThat(metric.emittedByTheDemoOnJava(25)).isTrue();
  }

  @Test
  void prometheusAndAlertmanagerNamesAreNeverTheDemos() {
    assertThat(
            EmittedMetrics.parse(
                "up [prometheus]\nalertmanager_notifications_total [alertmanager]"))
        .extracting(Metric::origin)
        .containsExactly(Origin.PROMETHEUS, Origin.ALERTMANAGER);
    assertThat(EmittedMetrics.parse("up [prometheus]").get(0).emittedByTheDemoOnJava(99)).isFalse();
  }

  @Test
  void aMistypedMarkerOrLineFailsInsteadOfExemptingTheName() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EmittedMetrics.parse("up [promethues]"))
        .withMessageContaining("unknown marker [promethues]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EmittedMetrics.parse("jvm_info java 21+"))
        .withMessageContaining("not a metric name");
  }

  @Test
  void theListMarksTheVirtualThreadMetersAndPrometheusOwnSeries() {
    assertThat(EmittedMetrics.emittedByTheDemoOnJava(17))
        .contains("jvm_info", "passenger_up", "http_server_requests_seconds_bucket")
        .doesNotContain(
            "jvm_threads_virtual_pinned_seconds_count", "up", "alertmanager_notifications_total");
    assertThat(EmittedMetrics.emittedByTheDemoOnJava(25))
        .contains("jvm_threads_virtual_pinned_seconds_count", "jvm_threads_virtual_live_threads")
        .doesNotContain("up");
    assertThat(EmittedMetrics.names()).contains("up", "jvm_threads_virtual_live_threads");
  }
}
