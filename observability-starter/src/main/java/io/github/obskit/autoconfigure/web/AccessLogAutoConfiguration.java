package io.github.obskit.autoconfigure.web;

import io.micrometer.observation.ObservationHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One access-log event per server request on the logger {@value
 * AccessLogObservationHandler#LOGGER_NAME}, from the request's observation, in servlet and reactive
 * applications. Requests the request metrics leave out are not logged either; {@code
 * observability.web.access-log.exclude-paths} leaves out more.
 */
@AutoConfiguration
@ConditionalOnWebApplication
@ConditionalOnClass(ObservationHandler.class)
@ConditionalOnBooleanProperty(name = "observability.web.access-log.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ObservabilityWebProperties.class)
public final class AccessLogAutoConfiguration {

  private static AccessLogObservationHandler handler(
      ServerRequestReader requests, ObservabilityWebProperties properties) {
    return new AccessLogObservationHandler(
        requests,
        RequestPathMatcher.of(
            "observability.web.access-log.exclude-paths",
            properties.getAccessLog().getExcludePaths()));
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.SERVLET)
  @ConditionalOnClass(
      name = {
        "jakarta.servlet.http.HttpServletRequest",
        "org.springframework.http.server.observation.ServerRequestObservationContext"
      })
  static class ServletAccessLogConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AccessLogObservationHandler accessLogObservationHandler(ObservabilityWebProperties properties) {
      return handler(new ServletServerRequestReader(), properties);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.REACTIVE)
  @ConditionalOnClass(
      name = "org.springframework.http.server.reactive.observation.ServerRequestObservationContext")
  static class ReactiveAccessLogConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AccessLogObservationHandler accessLogObservationHandler(ObservabilityWebProperties properties) {
      return handler(new ReactiveServerRequestReader(), properties);
    }
  }
}
