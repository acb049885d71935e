package io.github.obskit.autoconfigure.slo;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Publishes the application's service level objectives ({@link ObservabilitySloProperties}) on the
 * scrape. The latency thresholds are added to the request timer's buckets by the starter's metrics
 * defaults.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
// Without the starter's metrics defaults the thresholds are no buckets.
@ConditionalOnProperty(
    prefix = "observability",
    name = {"metrics.enabled", "slo.enabled"},
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(ObservabilitySloProperties.class)
public final class SloAutoConfiguration {

  private static final String NAME_PROPERTY = "management.observations.http.server.requests.name";

  private static final String SERVLET_MAPPING =
      "org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping";

  private static final String REACTIVE_MAPPING =
      "org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping";

  @Bean
  @ConditionalOnMissingBean
  SloObjectives sloObjectives(ObservabilitySloProperties properties) {
    return SloObjectives.of(properties);
  }

  @Bean
  @ConditionalOnMissingBean
  SloObjectivesPublisher sloObjectivesPublisher(
      SloObjectives objectives,
      ApplicationContext context,
      Environment environment,
      ObjectProvider<MeterRegistry> registries,
      ObjectProvider<MetricsProperties> metricsProperties) {
    return new SloObjectivesPublisher(
        objectives,
        mappedUris(context),
        registries,
        metricsProperties,
        environment.getProperty(NAME_PROPERTY, "http.server.requests"));
  }

  // The route templates of annotated controllers, which the uri tag of the request metrics shows.
  private static Supplier<Collection<String>> mappedUris(ApplicationContext context) {
    ClassLoader classLoader = context.getClassLoader();
    return () -> {
      if (ClassUtils.isPresent(SERVLET_MAPPING, classLoader)) {
        List<String> uris = MappedUris.servlet(context);
        if (!uris.isEmpty()) {
          return uris;
        }
      }
      if (ClassUtils.isPresent(REACTIVE_MAPPING, classLoader)) {
        return MappedUris.reactive(context);
      }
      return List.of();
    };
  }
}
