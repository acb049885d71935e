package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

class ScrapePathMappingTests {

  private static final ScrapeHandler HANDLER = (request) -> ResponseEntity.ok("scrape");

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class))
          .withUserConfiguration(ScrapePathConfiguration.class);

  @Test
  void servesGetAndHeadOnThePathAndRefusesOtherMethods() {
    this.contextRunner.run(
        (context) -> {
          assertThat(handlerOf(context, "GET", "/scrape")).isSameAs(HANDLER);
          assertThat(handlerOf(context, "HEAD", "/scrape")).isSameAs(HANDLER);
          assertThatExceptionOfType(HttpRequestMethodNotSupportedException.class)
              .isThrownBy(() -> handlerOf(context, "POST", "/scrape"));
        });
  }

  @Test
  void addsTheMissingLeadingSlash() {
    this.contextRunner
        .withPropertyValues("test.path=scrape")
        .run((context) -> assertThat(handlerOf(context, "GET", "/scrape")).isSameAs(HANDLER));
  }

  @Test
  void winsOverAPatternOfTheApplication() {
    this.contextRunner
        .withUserConfiguration(CatchAllController.class)
        .run(
            (context) -> {
              assertThat(handlerOf(context, "GET", "/scrape")).isSameAs(HANDLER);
              assertThat(handlerOf(context, "GET", "/orders"))
                  .isInstanceOf(CatchAllController.class);
            });
  }

  @Test
  void failsNamingThePropertyWhenTheApplicationMapsThePathAlready() {
    this.contextRunner
        .withUserConfiguration(SamePathController.class)
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(
                        "Cannot serve test.path=/scrape: the application maps that path already"));
  }

  @Test
  void removesThePathWhenTheContextCloses() {
    this.contextRunner.run(
        (context) -> {
          RequestMappingHandlerMapping mapping =
              context.getBean(
                  ScrapePathMapping.MVC_MAPPING_BEAN_NAME, RequestMappingHandlerMapping.class);
          context.getBean(ScrapePathMapping.class).destroy();
          assertThat(mapping.getHandler(request("GET", "/scrape"))).isNull();
        });
  }

  @Test
  void registersNothingWithoutSpringMvc() {
    new WebApplicationContextRunner()
        .withUserConfiguration(ScrapePathConfiguration.class)
        .run(
            (context) ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(ScrapePathMapping.class)
                    .doesNotHaveBean(RequestMappingHandlerMapping.class));
  }

  private static Object handlerOf(ApplicationContext context, String method, String path)
      throws Exception {
    HandlerExecutionChain chain =
        context
            .getBean(ScrapePathMapping.MVC_MAPPING_BEAN_NAME, RequestMappingHandlerMapping.class)
            .getHandler(request(method, path));
    return (chain != null) ? ((HandlerMethod) chain.getHandler()).getBean() : null;
  }

  private static MockHttpServletRequest request(String method, String path) {
    return new MockHttpServletRequest(method, path);
  }

  @Configuration(proxyBeanMethods = false)
  static class ScrapePathConfiguration {

    @Bean
    ScrapePathMapping scrapePathMapping(
        @Qualifier(ScrapePathMapping.MVC_MAPPING_BEAN_NAME)
            ObjectProvider<RequestMappingHandlerMapping> mappings,
        Environment environment) {
      return new ScrapePathMapping(
          mappings, "test.path", environment.getProperty("test.path", "/scrape"), HANDLER);
    }
  }

  @RestController
  static class CatchAllController {

    @GetMapping("/{name}")
    String page(@PathVariable String name) {
      return name;
    }
  }

  @RestController
  static class SamePathController {

    @GetMapping("/scrape")
    String scrape() {
      return "the application's own";
    }
  }
}
