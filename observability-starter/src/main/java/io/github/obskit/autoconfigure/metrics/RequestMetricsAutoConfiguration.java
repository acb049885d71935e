package io.github.obskit.autoconfigure.metrics;

import io.github.obskit.autoconfigure.web.ObservabilityPaths;
import io.github.obskit.autoconfigure.web.ReactiveServerRequestReader;
import io.github.obskit.autoconfigure.web.RequestPathMatcher;
import io.github.obskit.autoconfigure.web.ServerRequestReader;
import io.github.obskit.autoconfigure.web.ServletServerRequestReader;
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

/**
 * Request metrics of servlet and reactive applications: keeps the {@link ObservabilityPaths}
 * (scrapes, health checks) and the configured paths out of {@code http.server.requests} (and so out
 * of the access log) and tags unknown paths {@code uri="NOT_FOUND"}. The histogram buckets and
 * common tags are defaults of Boot's properties set by {@link
 * MetricsDefaultsEnvironmentPostProcessor}; the request meters get a description.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
    },
    // WebFlux's convention backs off for this one's.
    beforeName =
        "org.springframework.boot.webflux.autoconfigure.WebFluxObservationAutoConfiguration")
@ConditionalOnWebApplication
@ConditionalOnClass(ObservationPredicate.class)
@ConditionalOnBooleanProperty(name = "observability.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ObservabilityMetricsProperties.class)
public final class RequestMetricsAutoConfiguration {

  private static final String NAME_PROPERTY = "management.observations.http.server.requests.name";

  private static final String DEFAULT_NAME = "http.server.requests";

  private static ExcludedPathsObservationPredicate predicate(
      ObservabilityMetricsProperties properties,
      ObjectProvider<ObservabilityPaths> observabilityPaths,
      ServerRequestReader requests) {
    RequestPathMatcher excluded =
        RequestPathMatcher.of("observability.metrics.exclude-paths", properties.getExcludePaths());
    // Without the paths' auto-configuration (excluded by the application) only its own list
    // applies.
    ObservabilityPaths paths = observabilityPaths.getIfAvailable();
    if (properties.isExcludeObservabilityPaths() && paths != null) {
      excluded = paths.getMatcher().or(excluded);
    }
    return new ExcludedPathsObservationPredicate(excluded, requests);
  }

  @Bean
  @ConditionalOnMissingBean
  RequestMetricsDescriptions requestMetricsDescriptions(Environment environment) {
    return new RequestMetricsDescriptions(environment.getProperty(NAME_PROPERTY, DEFAULT_NAME));
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.SERVLET)
  @ConditionalOnClass(
      name = {
        "jakarta.servlet.http.HttpServletRequest",
        "org.springframework.http.server.observation.ServerRequestObservationContext"
      })
  static class ServletRequestMetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ExcludedPathsObservationPredicate excludedPathsObservationPredicate(
        ObservabilityMetricsProperties properties,
        ObjectProvider<ObservabilityPaths> observabilityPaths) {
      return predicate(properties, observabilityPaths, new ServletServerRequestReader());
    }

    /** The request convention; Boot uses a {@code ServerRequestObservationConvention} bean. */
    @Bean
    @ConditionalOnClass(
        name = "org.springframework.web.servlet.resource.ResourceHttpRequestHandler")
    @ConditionalOnMissingBean(
        type = "org.springframework.http.server.observation.ServerRequestObservationConvention")
    NotFoundUriServerRequestObservationConvention notFoundUriServerRequestObservationConvention(
        Environment environment) {
      // Keeps the name Boot would give the convention this one replaces.
      return new NotFoundUriServerRequestObservationConvention(
          environment.getProperty(NAME_PROPERTY, DEFAULT_NAME));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.REACTIVE)
  @ConditionalOnClass(
      name = "org.springframework.http.server.reactive.observation.ServerRequestObservationContext")
  static class ReactiveRequestMetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ExcludedPathsObservationPredicate excludedPathsObservationPredicate(
        ObservabilityMetricsProperties properties,
        ObjectProvider<ObservabilityPaths> observabilityPaths) {
      return predicate(properties, observabilityPaths, new ReactiveServerRequestReader());
    }

    /** The request convention; Boot uses a {@code ServerRequestObservationConvention} bean. */
    @Bean
    @ConditionalOnClass(name = "org.springframework.web.reactive.resource.ResourceWebHandler")
    @ConditionalOnMissingBean(
        type =
            "org.springframework.http.server.reactive.observation.ServerRequestObservationConvention")
    ReactiveNotFoundUriServerRequestObservationConvention
        reactiveNotFoundUriServerRequestObservationConvention(Environment environment) {
      return new ReactiveNotFoundUriServerRequestObservationConvention(
          environment.getProperty(NAME_PROPERTY, DEFAULT_NAME));
    }
  }
}
