package io.github.obskit.autoconfigure.metrics;

import io.github.obskit.autoconfigure.web.ObservabilityPaths;
import io.github.obskit.autoconfigure.web.RequestPathMatcher;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Request metrics of servlet applications: keeps the {@link ObservabilityPaths} (scrapes, health
 * checks) and the configured paths out of {@code http.server.requests} and tags unknown paths
 * {@code uri="NOT_FOUND"}. The histogram buckets and common tags are defaults of Boot's properties
 * set by {@link MetricsDefaultsEnvironmentPostProcessor}.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
    })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ObservationPredicate.class, ServerRequestObservationContext.class})
@ConditionalOnBooleanProperty(name = "observability.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ObservabilityMetricsProperties.class)
public final class RequestMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ExcludedPathsObservationPredicate excludedPathsObservationPredicate(
      ObservabilityMetricsProperties properties,
      ObjectProvider<ObservabilityPaths> observabilityPaths) {
    RequestPathMatcher excluded =
        RequestPathMatcher.of("observability.metrics.exclude-paths", properties.getExcludePaths());
    // Without the paths' auto-configuration (excluded by the application) only its own list
    // applies.
    ObservabilityPaths paths = observabilityPaths.getIfAvailable();
    if (properties.isExcludeObservabilityPaths() && paths != null) {
      excluded = paths.getMatcher().or(excluded);
    }
    return new ExcludedPathsObservationPredicate(excluded);
  }

  /** The request convention; Boot uses a {@link ServerRequestObservationConvention} bean. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ResourceHttpRequestHandler.class)
  static class NotFoundUriConfiguration {

    @Bean
    @ConditionalOnMissingBean(ServerRequestObservationConvention.class)
    NotFoundUriServerRequestObservationConvention notFoundUriServerRequestObservationConvention(
        Environment environment) {
      // Keeps the name Boot would give the convention this one replaces.
      return new NotFoundUriServerRequestObservationConvention(
          environment.getProperty(
              "management.observations.http.server.requests.name", "http.server.requests"));
    }
  }
}
