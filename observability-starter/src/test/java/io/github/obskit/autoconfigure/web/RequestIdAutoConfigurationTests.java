package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

class RequestIdAutoConfigurationTests {

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RequestIdAutoConfiguration.class));

  private final ReactiveWebApplicationContextRunner reactiveContextRunner =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RequestIdAutoConfiguration.class));

  @Test
  void registersTheFilterFirst() {
    this.contextRunner.run(
        (context) -> {
          FilterRegistrationBean<?> registration =
              context.getBean("requestIdFilter", FilterRegistrationBean.class);
          assertThat(registration.getFilter()).isInstanceOf(RequestIdFilter.class);
          assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
        });
  }

  @Test
  void usesTheConfiguredHeader() {
    this.contextRunner
        .withPropertyValues("observability.web.request-id.header=X-Correlation-Id")
        .run(
            (context) -> {
              RequestIdFilter filter =
                  (RequestIdFilter)
                      context.getBean("requestIdFilter", FilterRegistrationBean.class).getFilter();
              MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
              request.addHeader("X-Correlation-Id", "given-id");
              MockHttpServletResponse response = new MockHttpServletResponse();
              filter.doFilter(request, response, new MockFilterChain());
              assertThat(response.getHeader("X-Correlation-Id")).isEqualTo("given-id");
            });
  }

  @Test
  void backsOffWhenDisabled() {
    this.contextRunner
        .withPropertyValues("observability.web.request-id.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean("requestIdFilter"));
  }

  @Test
  void backsOffWhenTheUserRegistersTheFilter() {
    this.contextRunner
        .withUserConfiguration(UserFilterConfiguration.class)
        .run(
            (context) ->
                assertThat(context).doesNotHaveBean("requestIdFilter").hasBean("userFilter"));
  }

  @Test
  void backsOffInANonWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RequestIdAutoConfiguration.class))
        .run((context) -> assertThat(context).doesNotHaveBean("requestIdFilter"));
  }

  @Test
  void backsOffWithoutSpringWeb() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(OncePerRequestFilter.class))
        .run((context) -> assertThat(context).doesNotHaveBean("requestIdFilter"));
  }

  @Test
  void registersTheWebFilterFirstInAReactiveApplication() {
    this.reactiveContextRunner.run(
        (context) -> {
          assertThat(context).doesNotHaveBean("requestIdFilter");
          assertThat(context).getBean(RequestIdWebFilter.class).isNotNull();
          assertThat(context.getBean(RequestIdWebFilter.class).getOrder())
              .isEqualTo(Ordered.HIGHEST_PRECEDENCE);
        });
  }

  @Test
  void registersNoWebFilterInAServletApplication() {
    this.contextRunner.run(
        (context) -> assertThat(context).doesNotHaveBean(RequestIdWebFilter.class));
  }

  @Test
  void webFilterUsesTheConfiguredHeader() {
    this.reactiveContextRunner
        .withPropertyValues("observability.web.request-id.header=X-Correlation-Id")
        .run(
            (context) -> {
              MockServerWebExchange exchange =
                  MockServerWebExchange.from(
                      MockServerHttpRequest.get("/").header("X-Correlation-Id", "given-id"));
              context
                  .getBean(RequestIdWebFilter.class)
                  .filter(exchange, (e) -> Mono.empty())
                  .block();
              assertThat(exchange.getResponse().getHeaders().getFirst("X-Correlation-Id"))
                  .isEqualTo("given-id");
              assertThat((String) exchange.getAttribute(RequestIds.ATTRIBUTE))
                  .isEqualTo("given-id");
            });
  }

  @Test
  void webFilterBacksOffWhenDisabledOrDefinedByTheUser() {
    this.reactiveContextRunner
        .withPropertyValues("observability.web.request-id.enabled=false")
        .run((context) -> assertThat(context).doesNotHaveBean(RequestIdWebFilter.class));
    this.reactiveContextRunner
        .withBean("userWebFilter", RequestIdWebFilter.class, () -> new RequestIdWebFilter("X-Id"))
        .run(
            (context) ->
                assertThat(context)
                    .hasSingleBean(RequestIdWebFilter.class)
                    .hasBean("userWebFilter"));
  }

  @Test
  void webFilterBacksOffWithoutWebFlux() {
    this.reactiveContextRunner
        .withClassLoader(new FilteredClassLoader(WebFilter.class))
        .run((context) -> assertThat(context).doesNotHaveBean(RequestIdWebFilter.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class UserFilterConfiguration {

    @Bean
    RequestIdFilter userFilter() {
      return new RequestIdFilter("X-Trace");
    }
  }
}
