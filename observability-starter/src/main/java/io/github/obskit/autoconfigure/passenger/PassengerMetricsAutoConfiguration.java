package io.github.obskit.autoconfigure.passenger;

import io.github.obskit.autoconfigure.web.OnApplicationPortScrapeCondition;
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
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * Passenger status as metrics when {@code observability.passenger.enabled=true}: on a path of their
 * own ({@code /passenger_metrics}) in a servlet application with the Prometheus registry, otherwise
 * in the application's registry.
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

    @Bean(ROUTE_BEAN_NAME)
    @ConditionalOnMissingBean(name = ROUTE_BEAN_NAME)
    ScrapePathHandlerMapping passengerMetricsRoute(
        PassengerMetricsEndpoint endpoint, PassengerProperties properties) {
      return new ScrapePathHandlerMapping(
          "observability.passenger.endpoint.path", properties.getEndpoint().getPath(), endpoint);
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
   * A servlet application with Prometheus export, the endpoint not switched off, Actuator on the
   * application's port (or the endpoint switched on explicitly), and no binder of the user's.
   */
  static final class OnDedicatedEndpointCondition extends AllNestedConditions {

    OnDedicatedEndpointCondition() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnWebApplication(type = Type.SERVLET)
    static class ServletApplication {}

    @ConditionalOnClass({
      PrometheusMeterRegistry.class,
      PrometheusScrapeEndpoint.class,
      SimpleUrlHandlerMapping.class
    })
    static class PrometheusAndWebMvc {}

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
