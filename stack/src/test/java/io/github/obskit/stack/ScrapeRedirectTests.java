package io.github.obskit.stack;

import static io.github.obskit.stack.RepositoryFiles.STACK;
import static io.github.obskit.stack.RepositoryFiles.list;
import static io.github.obskit.stack.RepositoryFiles.map;
import static io.github.obskit.stack.RepositoryFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A scrape of an application behind Spring Security that does not permit it is redirected to a
 * login page answering 200: the jobs that scrape the application never follow redirects, so the
 * target is down with the redirect as its error.
 */
class ScrapeRedirectTests {

  @ParameterizedTest
  @ValueSource(strings = {"prometheus/prometheus.yml", "prometheus/prometheus-ha.yml"})
  void jobsScrapingTheApplicationDoNotFollowRedirects(String configFile) {
    Map<String, Object> config = yaml(STACK.resolve(configFile));

    assertThat(list(config.get("scrape_configs")))
        .map((job) -> map(job))
        .filteredOn(
            (job) ->
                "/metrics".equals(job.get("metrics_path"))
                    || "/passenger_metrics".equals(job.get("metrics_path")))
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            (job) ->
                assertThat(job.get("follow_redirects"))
                    .as("follow_redirects of job %s", job.get("job_name"))
                    .isEqualTo(false));
  }
}
