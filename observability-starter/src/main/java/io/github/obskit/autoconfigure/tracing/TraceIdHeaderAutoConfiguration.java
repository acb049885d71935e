package io.github.obskit.autoconfigure.tracing;

import io.micrometer.tracing.Tracer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.server.WebFilter;

/**
 * Writes the request's trace id to a response header ({@code X-Trace-Id} by default) in servlet and
 * WebFlux applications that trace.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
@ConditionalOnWebApplication
@ConditionalOnClass(Tracer.class)
@ConditionalOnBean(Tracer.class)
@ConditionalOnBooleanProperty(name = "observability.tracing.enabled", matchIfMissing = true)
@Conditional(TraceIdHeaderAutoConfiguration.OnTraceIdHeaderCondition.class)
@EnableConfigurationProperties(ObservabilityTracingProperties.class)
public final class TraceIdHeaderAutoConfiguration {

  /** Inside Boot's observation filter ({@code HIGHEST_PRECEDENCE + 1}), which opens the span. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 3;

  private static final String HEADER_PROPERTY = "observability.tracing.trace-id-header";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.SERVLET)
  @ConditionalOnClass({OncePerRequestFilter.class, FilterRegistrationBean.class})
  static class ServletTraceIdHeaderConfiguration {

    @Bean
    @ConditionalOnMissingFilterBean(TraceIdResponseHeaderFilter.class)
    FilterRegistrationBean<TraceIdResponseHeaderFilter> traceIdResponseHeaderFilter(
        Tracer tracer, ObservabilityTracingProperties properties) {
      FilterRegistrationBean<TraceIdResponseHeaderFilter> registration =
          new FilterRegistrationBean<>(
              new TraceIdResponseHeaderFilter(tracer, properties.getTraceIdHeader().trim()));
      registration.setOrder(ORDER);
      return registration;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = Type.REACTIVE)
  @ConditionalOnClass(WebFilter.class)
  static class ReactiveTraceIdHeaderConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TraceIdResponseHeaderWebFilter traceIdResponseHeaderWebFilter(
        ObservabilityTracingProperties properties) {
      return new TraceIdResponseHeaderWebFilter(properties.getTraceIdHeader().trim());
    }
  }

  static final class OnTraceIdHeaderCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      String header = context.getEnvironment().getProperty(HEADER_PROPERTY, "X-Trace-Id");
      return StringUtils.hasText(header)
          ? ConditionOutcome.match(HEADER_PROPERTY + " is '" + header + "'")
          : ConditionOutcome.noMatch(HEADER_PROPERTY + " is empty");
    }
  }
}
