package io.github.obskit.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

class JsonLoggingEnvironmentPostProcessorTests {

  private final JsonLoggingEnvironmentPostProcessor postProcessor =
      new JsonLoggingEnvironmentPostProcessor();

  @Test
  void selectsTheJsonConfigurationAndTurnsTheBannerOff() {
    MockEnvironment environment = postProcess(new MockEnvironment(), new SpringApplication());

    assertThat(environment.getProperty("logging.config"))
        .isEqualTo(JsonLoggingEnvironmentPostProcessor.DEFAULT_CONFIGURATION);
    assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("off");
  }

  @Test
  void addsBootsFileAppenderWhenTheApplicationWritesALogFile() {
    assertThat(configurationSelectedWith("logging.file.name", "app.log"))
        .isEqualTo(JsonLoggingEnvironmentPostProcessor.FILE_CONFIGURATION);
    assertThat(configurationSelectedWith("logging.file.path", "/var/log/app"))
        .isEqualTo(JsonLoggingEnvironmentPostProcessor.FILE_CONFIGURATION);
    assertThat(configurationSelectedWith("logging.file.name", ""))
        .as("as Boot, an empty file name writes no file")
        .isEqualTo(JsonLoggingEnvironmentPostProcessor.DEFAULT_CONFIGURATION);
  }

  @Test
  void addsBootsStructuredFileAppenderForAStructuredLogFile() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment()
                .withProperty("logging.file.name", "app.log")
                .withProperty("logging.structured.format.file", "ecs"),
            new SpringApplication());

    assertThat(environment.getProperty("logging.config"))
        .isEqualTo(JsonLoggingEnvironmentPostProcessor.STRUCTURED_FILE_CONFIGURATION);
  }

  @Test
  void everyConfigurationExists() {
    assertThat(
            List.of(
                JsonLoggingEnvironmentPostProcessor.DEFAULT_CONFIGURATION,
                JsonLoggingEnvironmentPostProcessor.FILE_CONFIGURATION,
                JsonLoggingEnvironmentPostProcessor.STRUCTURED_FILE_CONFIGURATION))
        .allSatisfy(
            (location) ->
                assertThat(new DefaultResourceLoader().getResource(location).exists()).isTrue());
  }

  @Test
  void leavesBootsPlainConsoleForThePlainFormat() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment().withProperty("observability.logging.format", "plain"),
            new SpringApplication());

    assertThat(environment.containsProperty("logging.config")).isFalse();
    assertThat(environment.containsProperty("spring.main.banner-mode")).isFalse();
  }

  @Test
  void keepsTheApplicationsLoggingConfig() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment().withProperty("logging.config", "classpath:mine.xml"),
            new SpringApplication());

    assertThat(environment.getProperty("logging.config")).isEqualTo("classpath:mine.xml");
  }

  @Test
  void keepsBootsStructuredLoggingWhenTheApplicationChoseIt() {
    MockEnvironment environment =
        postProcess(
            new MockEnvironment().withProperty("logging.structured.format.console", "ecs"),
            new SpringApplication());

    assertThat(environment.containsProperty("logging.config")).isFalse();
  }

  @Test
  void keepsTheApplicationsOwnLogbackSpringXml(@TempDir Path resources) throws Exception {
    Files.writeString(resources.resolve("logback-spring.xml"), "<configuration/>");
    try (URLClassLoader classLoader =
        new URLClassLoader(new URL[] {resources.toUri().toURL()}, getClass().getClassLoader())) {
      SpringApplication application = new SpringApplication();
      application.setResourceLoader(new DefaultResourceLoader(classLoader));

      MockEnvironment environment = postProcess(new MockEnvironment(), application);

      assertThat(environment.containsProperty("logging.config")).isFalse();
    }
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void bannerModeTheApplicationSetsInCodeWins(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(EmptyConfiguration.class)
            .web(WebApplicationType.NONE)
            .registerShutdownHook(false)
            .properties("spring.main.banner-mode=console")
            .run()) {

      assertThat(context.getEnvironment().getProperty("spring.main.banner-mode"))
          .isEqualTo("console");
      assertThat(context.getEnvironment().getProperty("logging.config"))
          .isEqualTo(JsonLoggingEnvironmentPostProcessor.DEFAULT_CONFIGURATION);
      assertThat(output.getOut()).contains(":: Spring Boot ::");
    }
  }

  @Test
  void rejectsAnUnknownFormatNamingTheProperty() {
    MockEnvironment environment =
        new MockEnvironment().withProperty("observability.logging.format", "xml");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> postProcess(environment, new SpringApplication()))
        .withMessageContaining("observability.logging.format")
        .withMessageContaining("'xml'");
  }

  private String configurationSelectedWith(String name, String value) {
    return postProcess(new MockEnvironment().withProperty(name, value), new SpringApplication())
        .getProperty("logging.config");
  }

  private MockEnvironment postProcess(MockEnvironment environment, SpringApplication application) {
    this.postProcessor.postProcessEnvironment(environment, application);
    return environment;
  }

  @Configuration(proxyBeanMethods = false)
  static class EmptyConfiguration {}
}
