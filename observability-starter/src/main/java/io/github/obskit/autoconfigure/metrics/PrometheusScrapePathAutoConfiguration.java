package io.github.obskit.autoconfigure.metrics;

import io.github.obskit.autoconfigure.web.OnApplicationPortScrapeCondition;
import io.github.obskit.autoconfigure.web.ReactiveScrapePathHandlerMapping;
import io.github.obskit.autoconfigure.web.ScrapePathHandlerMapping;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Serves the application's Prometheus scrape at {@code observability.prometheus.path} ({@code
 * /metrics} by default) in addition to {@code /actuator/prometheus}, in servlet and reactive
 * applications; with Actuator on a port of its own, only when {@code
 * observability.prometheus.enabled} is set.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration")
@ConditionalOnWebApplication
@ConditionalOnClass({PrometheusMeterRegistry.class, PrometheusScrapeEndpoint.class})
@ConditionalOnBean(PrometheusRegistry.class)
@ConditionalOnBooleanProperty(name = "observability.prometheus.enabled", matchIfMissing = true)
@Conditional({
  PrometheusScrapePathAutoConfiguration.OnScrapePathCondition.class,
  PrometheusScrapePathAutoConfiguration.OnApplicationPortCondition.class
})
@EnableConfigurationProperties(ObservabilityPrometheusProperties.class)
public final class PrometheusScrapePathAutoConfiguration {

  /** Name of the route serving the scrape path: defined exactly when the path is served. */
  public static final String ROUTE_BEAN_NAME = "prometheusScrapePathRoute";

  private static final String PATH_PROPERTY = "observability.prometheus.path";

  private static PrometheusScrapeEndpoint endpoint(
      ObjectProvider<PrometheusScrapeEndpoint> actuatorEndpoint,
      PrometheusRegistry prometheusRegistry,
      ObjectProvider<PrometheusConfig> prometheusConfig) {
    // The Actuator endpoint exists only while it is exposed; the path keeps working without it.
    return actuatorEndpoint.getIfAvailable(
        () ->
            new PrometheusScrapeEndpoint(
                prometheusRegistry,
                prometheusConfig
                    .getIfAvailable(() -> PrometheusConfig.DEFAULT)
                    .prometheusProperties()));
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.SERVLET)
  @ConditionalOnClass(name = "org.springframework.web.servlet.handler.SimpleUrlHandlerMapping")
  static class ServletScrapePathConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PrometheusScrapeHandler prometheusScrapeHandler(
        ObjectProvider<PrometheusScrapeEndpoint> actuatorEndpoint,
        PrometheusRegistry prometheusRegistry,
        ObjectProvider<PrometheusConfig> prometheusConfig) {
      return new PrometheusScrapeHandler(
          endpoint(actuatorEndpoint, prometheusRegistry, prometheusConfig));
    }

    @Bean(ROUTE_BEAN_NAME)
    @ConditionalOnMissingBean(name = ROUTE_BEAN_NAME)
    ScrapePathHandlerMapping prometheusScrapePathRoute(
        PrometheusScrapeHandler handler, ObservabilityPrometheusProperties properties) {
      return new ScrapePathHandlerMapping(PATH_PROPERTY, properties.getPath(), handler);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.REACTIVE)
  @ConditionalOnClass(name = "org.springframework.web.reactive.handler.SimpleUrlHandlerMapping")
  static class ReactiveScrapePathConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ReactivePrometheusScrapeHandler reactivePrometheusScrapeHandler(
        ObjectProvider<PrometheusScrapeEndpoint> actuatorEndpoint,
        PrometheusRegistry prometheusRegistry,
        ObjectProvider<PrometheusConfig> prometheusConfig) {
      return new ReactivePrometheusScrapeHandler(
          endpoint(actuatorEndpoint, prometheusRegistry, prometheusConfig), () -> {});
    }

    @Bean(ROUTE_BEAN_NAME)
    @ConditionalOnMissingBean(name = ROUTE_BEAN_NAME)
    ReactiveScrapePathHandlerMapping prometheusScrapePathRoute(
        ReactivePrometheusScrapeHandler handler, ObservabilityPrometheusProperties properties) {
      return new ReactiveScrapePathHandlerMapping(PATH_PROPERTY, properties.getPath(), handler);
    }
  }

  /** Keeps the scrape off the application's port when Actuator has one of its own. */
  static final class OnApplicationPortCondition extends OnApplicationPortScrapeCondition {

    OnApplicationPortCondition() {
      super("observability.prometheus.enabled");
    }
  }

  /** Matches unless the scrape path is set to an empty value. */
  static final class OnScrapePathCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      String path = context.getEnvironment().getProperty(PATH_PROPERTY, "/metrics");
      return StringUtils.hasText(path)
          ? ConditionOutcome.match(PATH_PROPERTY + " is '" + path + "'")
          : ConditionOutcome.noMatch(PATH_PROPERTY + " is empty");
    }
  }
}
