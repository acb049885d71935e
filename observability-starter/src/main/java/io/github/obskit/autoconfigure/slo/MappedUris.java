package io.github.obskit.autoconfigure.slo;

import java.util.List;
import org.springframework.context.ApplicationContext;
import org.springframework.web.util.pattern.PathPattern;

/** The route templates of an application's annotated controllers, by web stack. */
final class MappedUris {

  private MappedUris() {}

  static List<String> servlet(ApplicationContext context) {
    return context
        .getBeanProvider(
            org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping.class)
        .orderedStream()
        .flatMap((mapping) -> mapping.getHandlerMethods().keySet().stream())
        .flatMap((info) -> info.getPatternValues().stream())
        .toList();
  }

  static List<String> reactive(ApplicationContext context) {
    return context
        .getBeanProvider(
            org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping.class)
        .orderedStream()
        .flatMap((mapping) -> mapping.getHandlerMethods().keySet().stream())
        .flatMap((info) -> info.getPatternsCondition().getPatterns().stream())
        .map(PathPattern::getPatternString)
        .toList();
  }
}
