package io.github.obskit.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.impl.SimpleLog;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

class LoggingDefaultsEnvironmentPostProcessorTests {

  private static final String PAGE_NOT_FOUND_LEVEL =
      "logging.level.org.springframework.web.servlet.PageNotFound";

  private static final String STRUCTURED_APP = "logging.structured.json.add.app";

  private final List<String> warnings = new ArrayList<>();

  private final LoggingDefaultsEnvironmentPostProcessor postProcessor =
      new LoggingDefaultsEnvironmentPostProcessor((destination) -> new RecordingLog(warnings));

  @Test
  void quietensSpringMvcsNotFoundWarningsWhileTheAccessLogRecordsThem() {
    MockEnvironment environment = postProcess(named());

    assertThat(environment.getProperty(PAGE_NOT_FOUND_LEVEL)).isEqualTo("ERROR");
  }

  @Test
  void keepsThemWithoutTheAccessLog() {
    MockEnvironment environment =
        postProcess(named().withProperty("observability.web.access-log.enabled", "false"));

    assertThat(environment.containsProperty(PAGE_NOT_FOUND_LEVEL)).isFalse();
  }

  @Test
  void leavesTheLevelToTheApplicationWhenItSetsTheCategoryOrAPackageAboveIt() {
    assertThat(
            postProcess(named().withProperty(PAGE_NOT_FOUND_LEVEL, "WARN"))
                .getProperty(PAGE_NOT_FOUND_LEVEL))
        .isEqualTo("WARN");
    assertThat(
            postProcess(named().withProperty("logging.level.org.springframework.web", "DEBUG"))
                .containsProperty(PAGE_NOT_FOUND_LEVEL))
        .isFalse();
    assertThat(
            postProcess(named().withProperty("logging.level.org.springframework.webflux", "DEBUG"))
                .getProperty(PAGE_NOT_FOUND_LEVEL))
        .isEqualTo("ERROR");
  }

  @Test
  void leavesTheLevelToTheApplicationsDefaultProperties() {
    MockEnvironment environment = named();
    environment
        .getPropertySources()
        .addLast(
            new DefaultPropertiesPropertySource(
                Map.of("logging.level.org.springframework.web.servlet.pagenotfound", "INFO")));

    postProcess(environment);

    assertThat(
            environment
                .getPropertySources()
                .get(LoggingDefaultsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)
                .containsProperty(PAGE_NOT_FOUND_LEVEL))
        .isFalse();
  }

  @Test
  void namesBootsStructuredJsonLinesAfterTheApplication() {
    MockEnvironment environment = postProcess(named());

    assertThat(environment.getProperty(STRUCTURED_APP)).isEqualTo("orders");
    environment.setProperty("spring.application.name", "orders-eu");
    assertThat(environment.getProperty(STRUCTURED_APP)).isEqualTo("orders-eu");
  }

  @Test
  void leavesTheStructuredAppToTheApplication() {
    assertThat(
            postProcess(named().withProperty(STRUCTURED_APP, "billing"))
                .getProperty(STRUCTURED_APP))
        .isEqualTo("billing");
    MockEnvironment environment = named();
    environment
        .getPropertySources()
        .addLast(new DefaultPropertiesPropertySource(Map.of(STRUCTURED_APP, "billing")));
    postProcess(environment);
    assertThat(
            environment
                .getPropertySources()
                .get(LoggingDefaultsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)
                .containsProperty(STRUCTURED_APP))
        .isFalse();
  }

  @Test
  void givesBootsStructuredJsonLinesTheMetricsEnv() {
    String env = "logging.structured.json.add.env";

    assertThat(
            postProcess(named().withProperty("observability.metrics.env", "prod")).getProperty(env))
        .isEqualTo("prod");
    assertThat(postProcess(named()).containsProperty(env)).isFalse();
    assertThat(
            postProcess(
                    named()
                        .withProperty("observability.metrics.env", "prod")
                        .withProperty(env, "staging"))
                .getProperty(env))
        .isEqualTo("staging");
  }

  @Test
  void addsNoStructuredAppWithoutAName() {
    assertThat(postProcess(new MockEnvironment()).containsProperty(STRUCTURED_APP)).isFalse();
  }

  @Test
  void warnsWhenTheApplicationHasNoName() {
    postProcess(new MockEnvironment());
    postProcess(new MockEnvironment().withProperty("spring.application.name", " "));

    assertThat(this.warnings)
        .hasSize(2)
        .allSatisfy(
            (warning) ->
                assertThat(warning)
                    .startsWith("spring.application.name is not set")
                    .contains("'application' tag", "'app' field", "dashboards"));
  }

  @Test
  void saysNothingForANamedApplication() {
    postProcess(named());

    assertThat(this.warnings).isEmpty();
  }

  @Test
  void saysInOneLineThatAnApplicationLoggingThroughLog4j2GetsPlainTextAndHowToGetJson() {
    postProcess(named(), withoutLogback());

    assertThat(this.warnings)
        .singleElement(STRING)
        .startsWith("Logging does not go through logback, so observability-starter's JSON log")
        .contains("logging.structured.format.console=logstash")
        .doesNotContain("logging.structured.json.add.app")
        .doesNotContain("\n");
  }

  @Test
  void saysNothingAboutLog4j2WhenTheApplicationChoseAConsoleFormat() {
    postProcess(named().withProperty("logging.structured.format.console", "ecs"), withoutLogback());
    postProcess(named().withProperty("observability.logging.format", "plain"), withoutLogback());

    assertThat(this.warnings).isEmpty();
  }

  @Test
  void saysNothingAboutLog4j2WithLogback() {
    postProcess(named());

    assertThat(this.warnings).isEmpty();
  }

  private static SpringApplication withoutLogback() {
    SpringApplication application = new SpringApplication();
    application.setResourceLoader(
        new DefaultResourceLoader(new FilteredClassLoader("ch.qos.logback")));
    return application;
  }

  private static MockEnvironment named() {
    return new MockEnvironment().withProperty("spring.application.name", "orders");
  }

  private MockEnvironment postProcess(MockEnvironment environment) {
    return postProcess(environment, new SpringApplication());
  }

  private MockEnvironment postProcess(MockEnvironment environment, SpringApplication application) {
    this.postProcessor.postProcessEnvironment(environment, application);
    return environment;
  }

  /** Records what is logged at WARN. */
  private static final class RecordingLog extends SimpleLog {

    private final List<String> warnings;

    RecordingLog(List<String> warnings) {
      super("test");
      this.warnings = warnings;
    }

    @Override
    protected void log(int type, Object message, Throwable t) {
      if (type == LOG_LEVEL_WARN) {
        this.warnings.add(String.valueOf(message));
      }
    }
  }
}
