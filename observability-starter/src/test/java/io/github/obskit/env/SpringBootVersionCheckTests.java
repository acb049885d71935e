package io.github.obskit.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class SpringBootVersionCheckTests {

  @ParameterizedTest
  @ValueSource(strings = {"4.0.0", "4.0.5", "4.0.0-RC1", "3.5.8", "2.7.18"})
  void refusesAnOlderSpringBoot(String version) {
    UnsupportedSpringBootVersionException failure =
        catchThrowableOfType(UnsupportedSpringBootVersionException.class, () -> check(version));

    assertThat(failure)
        .hasMessage("observability-starter needs Spring Boot 4.1 or newer but runs on " + version);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.1.0", "4.1.2", "4.1.0-M1", "4.2.0", "4.10.1", "5.0.0"})
  void acceptsTheSupportedAndNewerVersions(String version) {
    assertThatCode(() -> check(version)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "unknown", "4", "x.y.z"})
  void letsAnUnreadableVersionPass(String version) {
    assertThatCode(() -> check(version)).doesNotThrowAnyException();
  }

  @Test
  void letsAnUnknownVersionPass() {
    assertThatCode(() -> check(null)).doesNotThrowAnyException();
  }

  @Test
  void acceptsTheSpringBootTheBuildUses() {
    assertThat(SpringBootVersionCheck.isSupported(SpringBootVersion.getVersion())).isTrue();
  }

  @Test
  void theFailureAnalysisNamesTheVersionsTheIgnoredVariablesAndTheFix() {
    UnsupportedSpringBootVersionException failure =
        catchThrowableOfType(UnsupportedSpringBootVersionException.class, () -> check("4.0.3"));

    FailureAnalysis analysis =
        new UnsupportedSpringBootVersionFailureAnalyzer()
            .analyze(new IllegalStateException("startup failed", failure));

    assertThat(analysis.getDescription())
        .contains("supports Spring Boot 4.1 and newer", "runs on Spring Boot 4.0.3")
        .contains("OTEL_EXPORTER_OTLP_ENDPOINT");
    assertThat(analysis.getAction()).contains("Upgrade to Spring Boot 4.1 or newer");
  }

  private static void check(String version) {
    new SpringBootVersionCheck(version)
        .postProcessEnvironment(new MockEnvironment(), new SpringApplication());
  }
}
