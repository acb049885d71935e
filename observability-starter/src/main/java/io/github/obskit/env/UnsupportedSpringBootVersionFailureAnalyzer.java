package io.github.obskit.env;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says what to do when the starter refused the application's Spring Boot version. */
public final class UnsupportedSpringBootVersionFailureAnalyzer
    extends AbstractFailureAnalyzer<UnsupportedSpringBootVersionException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, UnsupportedSpringBootVersionException cause) {
    return new FailureAnalysis(
        "observability-starter supports Spring Boot "
            + cause.getOldestSupported()
            + " and newer; this application runs on Spring Boot "
            + cause.getBootVersion()
            + ". On older versions OTEL_EXPORTER_OTLP_ENDPOINT and the other OTEL_* variables are"
            + " ignored (Boot maps them from 4.1), so spans would silently not be exported.",
        "Upgrade to Spring Boot "
            + cause.getOldestSupported()
            + " or newer (spring-boot-starter-parent or spring-boot-dependencies "
            + cause.getOldestSupported()
            + ".x), or use a release of observability-starter built for your Spring Boot.",
        cause);
  }
}
