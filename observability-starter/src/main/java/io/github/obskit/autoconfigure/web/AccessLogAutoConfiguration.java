package io.github.obskit.autoconfigure.web;

import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerMapping;

/**
 * One access-log event per request on the logger {@value AccessLogFilter#LOGGER_NAME}, except for
 * the {@link ObservabilityPaths} and the configured paths.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({HandlerMapping.class, FilterRegistrationBean.class})
@ConditionalOnBooleanProperty(name = "observability.web.access-log.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ObservabilityWebProperties.class)
public final class AccessLogAutoConfiguration {

  /**
   * Inside the request observation filter ({@code HIGHEST_PRECEDENCE + 1}), so that the trace id is
   * still in the MDC when the event is logged.
   */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

  @Bean
  @ConditionalOnMissingFilterBean(AccessLogFilter.class)
  FilterRegistrationBean<AccessLogFilter> accessLogFilter(
      ObservabilityWebProperties properties,
      ObjectProvider<ObservabilityPaths> observabilityPaths) {
    ObservabilityWebProperties.AccessLog accessLog = properties.getAccessLog();
    RequestPathMatcher excluded =
        RequestPathMatcher.of(
            "observability.web.access-log.exclude-paths", accessLog.getExcludePaths());
    // Without the paths' auto-configuration (excluded by the application) only its own list
    // applies.
    ObservabilityPaths paths = observabilityPaths.getIfAvailable();
    if (accessLog.isExcludeObservabilityPaths() && paths != null) {
      excluded = paths.getMatcher().or(excluded);
    }
    FilterRegistrationBean<AccessLogFilter> registration =
        new FilterRegistrationBean<>(new AccessLogFilter(excluded));
    registration.setOrder(ORDER);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    return registration;
  }
}
