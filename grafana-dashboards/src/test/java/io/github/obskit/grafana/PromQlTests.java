package io.github.obskit.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTests {

  @Test
  void findsTheMetricOfASelectorWithMatchersAndRange() {
    assertThat(
            PromQl.metricNames(
                "sum by (job, application) (rate(http_server_requests_seconds_count{status=~\"5..\","
                    + " uri!~\"/actuator/.*\"}[5m]))"))
        .containsExactly("http_server_requests_seconds_count");
  }

  @Test
  void findsEveryMetricOfABinaryExpressionAndIgnoresKeywordsAndNumbers() {
    assertThat(
            PromQl.metricNames(
                "sum(jvm_memory_used_bytes{area=\"heap\"}) / sum(jvm_memory_max_bytes > 0) > 0.9 and"
                    + " on(instance) up == 1 or vector(1e3) offset 5m"))
        .containsExactly("jvm_memory_max_bytes", "jvm_memory_used_bytes", "up");
  }

  @Test
  void ignoresGroupingLabelsFunctionsAndGrafanaVariables() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket"
                    + "{application=~\"$application\"}[$__rate_interval]))) * on (uri) group_left(method)"
                    + " passenger_up"))
        .containsExactly("http_server_requests_seconds_bucket", "passenger_up");
  }

  @Test
  void keepsRecordingRuleNamesWithColons() {
    assertThat(
            PromQl.metricNames(
                "job_env_application:http_server_requests_5xx:ratio_rate1h > (14.4 * 0.001)"))
        .containsExactly("job_env_application:http_server_requests_5xx:ratio_rate1h");
  }

  @Test
  void reportsAMisspelledMetricAsItIsWritten() {
    assertThat(PromQl.metricNames("passenger_proces_count < 2"))
        .containsExactly("passenger_proces_count");
  }
}
