package io.github.obskit.autoconfigure.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class TraceIdHeaderAutoConfigurationTests {

  // Boot's OpenTelemetry tracer, as the application gets it.
  private static final AutoConfigurations TRACING =
      AutoConfigurations.of(
          OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class);

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(TRACING)
          .withConfiguration(AutoConfigurations.of(TraceIdHeaderAutoConfiguration.class));

  @Test
  void registersTheFilterJustInsideBootsObservationFilter() {
    this.contextRunner.run(
        (context) -> {
          FilterRegistrationBean<?> registration =
              context.getBean("traceIdResponseHeaderFilter", FilterRegistrationBean.class);
          assertThat(registration.getFilter()).isInstanceOf(TraceIdResponseHeaderFilter.class);
          assertThat(registration.getOrder()).isGreaterThan(Ordered.HIGHEST_PRECEDENCE + 1);
        });
  }

  @Test
  void writesTheCurrentTraceIdToTheConfiguredHeader() {
    this.contextRunner
        .withPropertyValues("observability.tracing.trace-id-header=X-B3-TraceId")
        .run(
            (context) -> {
              TraceIdResponseHeaderFilter filter =
                  (TraceIdResponseHeaderFilter)
                      context
                          .getBean("traceIdResponseHeaderFilter", FilterRegistrationBean.class)
                          .getFilter();
              Tracer tracer = context.getBean(Tracer.class);
              Span span = tracer.nextSpan().start();
              MockHttpServletResponse response = new MockHttpServletResponse();
              try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                filter.doFilter(new MockHttpServletRequest(), response, new MockFilterChain());
              }
              assertThat(response.getHeader("X-B3-TraceId")).isEqualTo(span.context().traceId());
              assertThat(response.getHeader("X-Trace-Id")).isNull();
            });
  }

  @Test
  void writesNoHeaderOutsideASpan() {
    this.contextRunner.run(
        (context) -> {
          MockHttpServletResponse response = new MockHttpServletResponse();
          context
              .getBean("traceIdResponseHeaderFilter", FilterRegistrationBean.class)
              .getFilter()
              .doFilter(new MockHttpServletRequest(), response, new MockFilterChain());
          assertThat(response.getHeaderNames()).isEmpty();
        });
  }

  @Test
  void backsOffWhenTracingIsOff() {
    this.contextRunner
        .withPropertyValues("observability.tracing.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean("traceIdResponseHeaderFilter"));
  }

  @Test
  void backsOffWhenTheHeaderIsEmpty() {
    this.contextRunner
        .withPropertyValues("observability.tracing.trace-id-header=")
        .run((context) -> assertThat(context).doesNotHaveBean("traceIdResponseHeaderFilter"));
  }

  @Test
  void backsOffWithoutATracer() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TraceIdHeaderAutoConfiguration.class))
        .run((context) -> assertThat(context).doesNotHaveBean("traceIdResponseHeaderFilter"));
  }

  @Test
  void backsOffWhenTheUserRegistersTheFilter() {
    this.contextRunner
        .withUserConfiguration(UserFilterConfiguration.class)
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean("traceIdResponseHeaderFilter")
                    .hasBean("userFilter"));
  }

  @Test
  void backsOffInANonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(TRACING)
        .withConfiguration(AutoConfigurations.of(TraceIdHeaderAutoConfiguration.class))
        .run((context) -> assertThat(context).doesNotHaveBean("traceIdResponseHeaderFilter"));
  }

  @Test
  void backsOffWithoutMicrometerTracing() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(Tracer.class))
        .run((context) -> assertThat(context).doesNotHaveBean("traceIdResponseHeaderFilter"));
  }

  @Configuration(proxyBeanMethods = false)
  static class UserFilterConfiguration {

    @Bean
    TraceIdResponseHeaderFilter userFilter(Tracer tracer) {
      return new TraceIdResponseHeaderFilter(tracer, "X-Trace");
    }
  }
}
