package io.github.obskit.autoconfigure.passenger;

import io.github.obskit.autoconfigure.metrics.PrometheusScrapeHandler;
import io.github.obskit.autoconfigure.metrics.ReactivePrometheusScrapeHandler;
import io.github.obskit.autoconfigure.web.OnApplicationPortScrapeCondition;
import io.github.obskit.autoconfigure.web.ReactiveScrapePathHandlerMapping;
import io.github.obskit.autoconfigure.web.ScrapePathHandlerMapping;
import io.github.obskit.passenger.metrics.PassengerMetrics;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AllNestedConditions;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.ConditionalOnEnabledMetricsExport;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Passenger status as metrics when {@code observability.passenger.enabled=true}: on a path of their
 * own ({@code /passenger_metrics}) in a servlet or reactive application with the Prometheus
 * registry, otherwise in the application's registry.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(PassengerMetrics.class)
@ConditionalOnBooleanProperty("observability.passenger.enabled")
@EnableConfigurationProperties(PassengerProperties.class)
public final class PassengerMetricsAutoConfiguration {

  /** Name of the route serving the Passenger metrics path: defined exactly when it is served. */
  public static final String ROUTE_BEAN_NAME = "passengerMetricsRoute";

  private static final String PATH_PROPERTY = "observability.passenger.endpoint.path";

  @Bean
  @ConditionalOnMissingBean
  PassengerStatusSource passengerStatusSource(
      PassengerProperties properties, Environment environment) {
    return new PassengerStatusSourceSelector(properties, environment::getProperty).select();
  }

  static PassengerMetrics passengerMetrics(
      PassengerStatusSource source, PassengerProperties properties, boolean scheduledReads) {
    return PassengerMetrics.builder(source)
        .perProcess(properties.isPerProcess())
        .cacheTtl(properties.getCacheTtl())
        .timeout(properties.getTimeout())
        .scheduledReads(scheduledReads)
        .build();
  }

  /** The Passenger meters in a registry of their own, served on their own path. */
  @Configuration(proxyBeanMethods = false)
  @Conditional(OnDedicatedEndpointCondition.class)
  static class DedicatedEndpointConfiguration {

    // Not a MeterBinder bean: Boot would bind it to the application's registry as well.
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    PassengerMetricsEndpoint passengerMetricsEndpoint(
        PassengerStatusSource source,
        PassengerProperties properties,
        ObjectProvider<MeterFilter> meterFilters,
        ObjectProvider<PrometheusConfig> prometheusConfig,
        ObjectProvider<Clock> clock) {
      return new PassengerMetricsEndpoint(
          // The endpoint reads right before each scrape it answers.
          passengerMetrics(source, properties, false),
          meterFilters.orderedStream().toList(),
          prometheusConfig.getIfAvailable(() -> PrometheusConfig.DEFAULT),
          clock.getIfAvailable(() -> Clock.SYSTEM));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.handler.SimpleUrlHandlerMapping")
    static class ServletRouteConfiguration {

      @Bean(ROUTE_BEAN_NAME)
      @ConditionalOnMissingBean(name = ROUTE_BEAN_NAME)
      ScrapePathHandlerMapping passengerMetricsRoute(
          PassengerMetricsEndpoint endpoint, PassengerProperties properties) {
        return new ScrapePathHandlerMapping(
            PATH_PROPERTY,
            properties.getEndpoint().getPath(),
            new PrometheusScrapeHandler(endpoint.scrapeEndpoint(), endpoint::refresh));
      }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.reactive.handler.SimpleUrlHandlerMapping")
    static class ReactiveRouteConfiguration {

      @Bean(ROUTE_BEAN_NAME)
      @ConditionalOnMissingBean(name = ROUTE_BEAN_NAME)
      ReactiveScrapePathHandlerMapping passengerMetricsRoute(
          PassengerMetricsEndpoint endpoint, PassengerProperties properties) {
        return new ReactiveScrapePathHandlerMapping(
            PATH_PROPERTY,
            properties.getEndpoint().getPath(),
            new ReactivePrometheusScrapeHandler(endpoint.scrapeEndpoint(), endpoint::refresh));
      }
    }
  }

  /** The Passenger meters in the application's registry, bound by Boot as any MeterBinder. */
  @Configuration(proxyBeanMethods = false)
  @Conditional(OnApplicationRegistryCondition.class)
  static class ApplicationRegistryConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    PassengerMetrics passengerMetrics(
        PassengerStatusSource source, PassengerProperties properties) {
      // Boot's scrape knows nothing of this binder: it reads on a schedule of its own.
      return PassengerMetricsAutoConfiguration.passengerMetrics(source, properties, true);
    }
  }

  /**
   * A servlet or reactive application with Prometheus export, the endpoint not switched off,
   * Actuator on the application's port (or the endpoint switched on explicitly), and no binder of
   * the user's.
   */
  static final class OnDedicatedEndpointCondition extends AllNestedConditions {

    OnDedicatedEndpointCondition() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @Conditional(OnWebStackWithRoutes.class)
    static class WebStackWithRoutes {}

    @ConditionalOnClass({PrometheusMeterRegistry.class, PrometheusScrapeEndpoint.class})
    static class Prometheus {}

    @ConditionalOnBooleanProperty(
        name = "observability.passenger.endpoint.enabled",
        matchIfMissing = true)
    static class EndpointEnabled {}

    @ConditionalOnEnabledMetricsExport("prometheus")
    static class PrometheusExportEnabled {}

    @Conditional(OnApplicationPort.class)
    static class ApplicationPortAllowed {}

    // Boot binds every MeterBinder bean to the application's registry: a user's binder served here
    // as well would be scraped twice.
    @ConditionalOnMissingBean(PassengerMetrics.class)
    static class NoUserBinder {}
  }

  /** Spring MVC or WebFlux, whose handler mappings serve the path. */
  static final class OnWebStackWithRoutes extends AnyNestedCondition {

    OnWebStackWithRoutes() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnWebApplication(type = Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.handler.SimpleUrlHandlerMapping")
    static class SpringMvc {}

    @ConditionalOnWebApplication(type = Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.reactive.handler.SimpleUrlHandlerMapping")
    static class WebFlux {}
  }

  /** Keeps the endpoint off the application's port when Actuator has one of its own. */
  static final class OnApplicationPort extends OnApplicationPortScrapeCondition {

    OnApplicationPort() {
      super("observability.passenger.endpoint.enabled");
    }
  }

  /** Whenever the dedicated endpoint is not used. */
  static final class OnApplicationRegistryCondition extends NoneNestedConditions {

    OnApplicationRegistryCondition() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @Conditional(OnDedicatedEndpointCondition.class)
    static class DedicatedEndpoint {}
  }
}
