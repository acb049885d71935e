package io.github.obskit.autoconfigure.web;

import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.server.WebFilter;

/**
 * Request id accepted from {@code X-Request-Id} or generated, in the MDC and the response, for
 * servlet and reactive applications.
 */
@AutoConfiguration
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "observability.web.request-id.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ObservabilityWebProperties.class)
public final class RequestIdAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.SERVLET)
  @ConditionalOnClass({OncePerRequestFilter.class, FilterRegistrationBean.class})
  static class ServletRequestIdConfiguration {

    /** Before everything else, so that every log line of the request carries the id. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

    @Bean
    @ConditionalOnMissingFilterBean(RequestIdFilter.class)
    FilterRegistrationBean<RequestIdFilter> requestIdFilter(ObservabilityWebProperties properties) {
      FilterRegistrationBean<RequestIdFilter> registration =
          new FilterRegistrationBean<>(new RequestIdFilter(properties.getRequestId().getHeader()));
      registration.setOrder(ORDER);
      registration.setDispatcherTypes(
          DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
      return registration;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.REACTIVE)
  @ConditionalOnClass(WebFilter.class)
  static class ReactiveRequestIdConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RequestIdWebFilter requestIdWebFilter(ObservabilityWebProperties properties) {
      return new RequestIdWebFilter(properties.getRequestId().getHeader());
    }
  }
}
