package io.github.obskit.autoconfigure.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

class ReactiveTraceIdHeaderAutoConfigurationTests {

  private static final AutoConfigurations TRACING =
      AutoConfigurations.of(
          OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class);

  private static final WebFilterChain END = (exchange) -> Mono.empty();

  private final ReactiveWebApplicationContextRunner contextRunner =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(TRACING)
          .withConfiguration(AutoConfigurations.of(TraceIdHeaderAutoConfiguration.class));

  @Test
  void registersTheWebFilterAndNoServletFilter() {
    this.contextRunner.run(
        (context) ->
            assertThat(context)
                .hasSingleBean(TraceIdResponseHeaderWebFilter.class)
                .doesNotHaveBean("traceIdResponseHeaderFilter"));
  }

  @Test
  void writesTheTraceIdOfTheRequestsObservationToTheConfiguredHeader() {
    this.contextRunner
        .withPropertyValues("observability.tracing.trace-id-header=X-B3-TraceId")
        .run(
            (context) -> {
              MockServerWebExchange exchange =
                  MockServerWebExchange.from(MockServerHttpRequest.get("/orders/1"));
              Span span = observeWithSpan(exchange, context.getBean(Tracer.class));

              context.getBean(TraceIdResponseHeaderWebFilter.class).filter(exchange, END).block();

              assertThat(exchange.getResponse().getHeaders().getFirst("X-B3-TraceId"))
                  .isEqualTo(span.context().traceId());
              assertThat(exchange.getResponse().getHeaders().containsHeader("X-Trace-Id"))
                  .isFalse();
            });
  }

  @Test
  void writesNoHeaderWithoutAnObservedSpan() {
    this.contextRunner.run(
        (context) -> {
          MockServerWebExchange exchange =
              MockServerWebExchange.from(MockServerHttpRequest.get("/orders/1"));

          context.getBean(TraceIdResponseHeaderWebFilter.class).filter(exchange, END).block();

          assertThat(exchange.getResponse().getHeaders().isEmpty()).isTrue();
        });
  }

  @Test
  void backsOffWhenTracingIsOff() {
    this.contextRunner
        .withPropertyValues("observability.tracing.enabled=false")
        .run(
            (context) -> assertThat(context).doesNotHaveBean(TraceIdResponseHeaderWebFilter.class));
  }

  @Test
  void backsOffWhenTheHeaderIsEmpty() {
    this.contextRunner
        .withPropertyValues("observability.tracing.trace-id-header=")
        .run(
            (context) -> assertThat(context).doesNotHaveBean(TraceIdResponseHeaderWebFilter.class));
  }

  @Test
  void backsOffWithoutATracer() {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TraceIdHeaderAutoConfiguration.class))
        .run(
            (context) -> assertThat(context).doesNotHaveBean(TraceIdResponseHeaderWebFilter.class));
  }

  @Test
  void backsOffWithoutMicrometerTracing() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(Tracer.class))
        .run(
            (context) -> assertThat(context).doesNotHaveBean(TraceIdResponseHeaderWebFilter.class));
  }

  @Test
  void backsOffWhenTheUserDefinesTheWebFilter() {
    this.contextRunner
        .withUserConfiguration(UserWebFilterConfiguration.class)
        .run(
            (context) ->
                assertThat(context)
                    .hasSingleBean(TraceIdResponseHeaderWebFilter.class)
                    .hasBean("userWebFilter"));
  }

  @Test
  void servletApplicationGetsNoWebFilter() {
    new WebApplicationContextRunner()
        .withConfiguration(TRACING)
        .withConfiguration(AutoConfigurations.of(TraceIdHeaderAutoConfiguration.class))
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(TraceIdResponseHeaderWebFilter.class)
                    .hasBean("traceIdResponseHeaderFilter"));
  }

  // As WebFlux's HttpWebHandlerAdapter does before the first WebFilter runs.
  private static Span observeWithSpan(MockServerWebExchange exchange, Tracer tracer) {
    ServerRequestObservationContext observationContext =
        new ServerRequestObservationContext(
            exchange.getRequest(), exchange.getResponse(), exchange.getAttributes());
    exchange
        .getAttributes()
        .put(
            ServerRequestObservationContext.CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE,
            observationContext);
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    Observation.createNotStarted("http.server.requests", () -> observationContext, registry)
        .start();
    TracingObservationHandler.TracingContext tracing =
        observationContext.get(TracingObservationHandler.TracingContext.class);
    return tracing.getSpan();
  }

  @Configuration(proxyBeanMethods = false)
  static class UserWebFilterConfiguration {

    @Bean
    TraceIdResponseHeaderWebFilter userWebFilter() {
      return new TraceIdResponseHeaderWebFilter("X-Trace");
    }
  }
}
