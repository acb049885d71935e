package io.github.obskit.autoconfigure.slo;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an invalid SLO declaration as Boot reports an invalid property: cause and remedy. */
class SloConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<SloConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, SloConfigurationException cause) {
    return new FailureAnalysis(
        "The service level objectives cannot be published: " + cause.getMessage(),
        cause.getAction(),
        cause);
  }
}
