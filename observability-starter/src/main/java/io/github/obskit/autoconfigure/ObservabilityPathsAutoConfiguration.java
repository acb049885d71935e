package io.github.obskit.autoconfigure;

import io.github.obskit.autoconfigure.metrics.ObservabilityPrometheusProperties;
import io.github.obskit.autoconfigure.metrics.PrometheusScrapePathAutoConfiguration;
import io.github.obskit.autoconfigure.passenger.PassengerMetricsAutoConfiguration;
import io.github.obskit.autoconfigure.passenger.PassengerProperties;
import io.github.obskit.autoconfigure.web.ObservabilityPaths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletPath;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The {@link ObservabilityPaths} of a servlet or reactive application, in one place for the request
 * metrics and the access log.
 *
 * <p>A path counts when it is served on the application's port: Actuator's base path unless the
 * management server has a port of its own, the additional paths of health groups on the server
 * ({@code /livez}, {@code /readyz}), the scrape and Passenger paths when their routes are defined.
 * Whether a route is defined is read from the bean factory rather than from properties, so that
 * every condition of the route (Prometheus export switched off, a user's Passenger binder, ...)
 * applies here without a copy of it.
 */
@AutoConfiguration
@ConditionalOnWebApplication
public final class ObservabilityPathsAutoConfiguration {

  private static final Log logger = LogFactory.getLog(ObservabilityPathsAutoConfiguration.class);

  private static final String DISPATCHER_SERVLET_PATH =
      "org.springframework.boot.webmvc.autoconfigure.DispatcherServletPath";

  private static final String HEALTH_ENDPOINT_GROUPS =
      "org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups";

  @Bean
  @ConditionalOnMissingBean
  ObservabilityPaths observabilityPaths(
      Environment environment,
      ConfigurableListableBeanFactory beanFactory,
      ObjectProvider<WebEndpointProperties> webEndpointProperties,
      ObjectProvider<ObservabilityPrometheusProperties> prometheusProperties,
      ObjectProvider<PassengerProperties> passengerProperties) {
    // Actuator's endpoints and the routes are all handled by the DispatcherServlet; WebFlux has no
    // such prefix (its base path is the context path, which the patterns leave out).
    String servletPrefix = dispatcherServletPrefix(beanFactory);
    Map<String, String> patternByProperty = new LinkedHashMap<>();
    WebEndpointProperties endpoints = webEndpointProperties.getIfAvailable();
    // An empty base path puts the endpoints among the application's own paths: its "/**" would
    // leave out every request.
    if (endpoints != null
        && !endpoints.getBasePath().isEmpty()
        && ManagementPortType.get(environment) == ManagementPortType.SAME) {
      patternByProperty.put(
          "management.endpoints.web.base-path", servletPrefix + endpoints.getBasePath() + "/**");
    }
    ObservabilityPrometheusProperties prometheus = prometheusProperties.getIfAvailable();
    if (prometheus != null
        && beanFactory.containsBean(PrometheusScrapePathAutoConfiguration.ROUTE_BEAN_NAME)) {
      patternByProperty.put(
          "observability.prometheus.path", servletPrefix + routePattern(prometheus.getPath()));
    }
    PassengerProperties passenger = passengerProperties.getIfAvailable();
    if (passenger != null
        && beanFactory.containsBean(PassengerMetricsAutoConfiguration.ROUTE_BEAN_NAME)) {
      patternByProperty.put(
          "observability.passenger.endpoint.path",
          servletPrefix + routePattern(passenger.getEndpoint().getPath()));
    }
    if (ClassUtils.isPresent(HEALTH_ENDPOINT_GROUPS, beanFactory.getBeanClassLoader())) {
      HealthGroupPaths.addTo(patternByProperty, beanFactory, servletPrefix);
    }
    ObservabilityPaths paths = new ObservabilityPaths(patternByProperty);
    logger.debug("Observability paths: " + paths);
    return paths;
  }

  /** The pattern a scrape path is served at: trimmed, with a leading slash, as its mapping does. */
  private static String routePattern(String path) {
    return PathPatternParser.defaultInstance.initFullPathPattern(path.trim());
  }

  private static String dispatcherServletPrefix(ConfigurableListableBeanFactory beanFactory) {
    // Boot's Spring MVC support is optional: without it there is no DispatcherServlet path.
    if (!ClassUtils.isPresent(DISPATCHER_SERVLET_PATH, beanFactory.getBeanClassLoader())) {
      return "";
    }
    return DispatcherServletPrefix.of(beanFactory);
  }

  /**
   * The paths of health groups served on the application's port ({@code /livez} and {@code /readyz}
   * with {@code management.endpoint.health.probes.add-additional-paths}); Boot's health support is
   * optional, so its types stay in here.
   */
  private static final class HealthGroupPaths {

    static void addTo(
        Map<String, String> patternByProperty,
        ListableBeanFactory beanFactory,
        String servletPrefix) {
      HealthEndpointGroups groups =
          beanFactory.getBeanProvider(HealthEndpointGroups.class).getIfUnique();
      if (groups == null) {
        return;
      }
      for (String name : groups.getNames()) {
        AdditionalHealthEndpointPath path = groups.get(name).getAdditionalPath();
        if (path != null && path.hasNamespace(WebServerNamespace.SERVER)) {
          patternByProperty.put(
              "management.endpoint.health.group." + name + ".additional-path",
              servletPrefix + routePattern(path.getValue()));
        }
      }
    }
  }

  /** Keeps Boot's optional Spring MVC types out of the auto-configuration's own signatures. */
  private static final class DispatcherServletPrefix {

    static String of(ListableBeanFactory beanFactory) {
      DispatcherServletPath path =
          beanFactory.getBeanProvider(DispatcherServletPath.class).getIfUnique();
      return (path != null) ? path.getPrefix() : "";
    }
  }
}
