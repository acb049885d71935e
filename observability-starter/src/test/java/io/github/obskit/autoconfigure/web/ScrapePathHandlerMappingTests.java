package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.web.HttpRequestHandler;

class ScrapePathHandlerMappingTests {

  private static final HttpRequestHandler HANDLER = (request, response) -> {};

  @Test
  void mapsTheExactPathWithALeadingSlashAheadOfTheApplication() {
    ScrapePathHandlerMapping mapping = new ScrapePathHandlerMapping("p", " metrics ", HANDLER);

    assertThat(mapping.getUrlMap()).containsOnlyKeys("/metrics");
    assertThat(mapping.getUrlMap().get("/metrics")).isSameAs(HANDLER);
    assertThat(mapping.getOrder()).isNegative();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "/", "/metrics/**", "/*", "/{name}", "/metrics/{x"})
  void refusesAPathThatIsNotOneExactPath(String path) {
    assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
        .isThrownBy(() -> new ScrapePathHandlerMapping("observability.test.path", path, HANDLER))
        .satisfies((ex) -> assertThat(ex.getName()).isEqualTo("observability.test.path"))
        .withMessageContaining("must be one exact path");
  }
}
