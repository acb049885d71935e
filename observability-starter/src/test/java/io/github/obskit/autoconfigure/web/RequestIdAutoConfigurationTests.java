package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
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
import org.springframework.web.filter.OncePerRequestFilter;

class RequestIdAutoConfigurationTests {

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
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

  @Configuration(proxyBeanMethods = false)
  static class UserFilterConfiguration {

    @Bean
    RequestIdFilter userFilter() {
      return new RequestIdFilter("X-Trace");
    }
  }
}
