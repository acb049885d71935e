package io.github.obskit.autoconfigure.web;

import java.util.List;
import org.apache.commons.logging.Log;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/** The paths the scrape handler mappings of both web stacks accept. */
final class ScrapePaths {

  private ScrapePaths() {}

  /**
   * Returns the path trimmed, with a leading slash.
   *
   * @throws InvalidConfigurationPropertyValueException if the path is empty, {@code /} or a pattern
   *     (a wildcard would make the mapping answer the application's requests)
   */
  static String exactPath(String pathProperty, String path) {
    String trimmed = path.trim();
    String fullPath = trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    boolean pattern;
    try {
      pattern = PathPatternParser.defaultInstance.parse(fullPath).hasPatternSyntax();
    } catch (PatternParseException ex) {
      pattern = true;
    }
    if (pattern || fullPath.equals("/")) {
      throw new InvalidConfigurationPropertyValueException(
          pathProperty,
          path,
          "A scrape path must be one exact path other than '/', such as '/metrics', without"
              + " wildcards or {variables}.");
    }
    return fullPath;
  }

  /**
   * Warns when the application maps the path literally itself: the scrape mapping, ordered first,
   * answers every request to it, so the application's handlers are never reached.
   *
   * @param logger where to warn
   * @param pathProperty the property that moves the scrape
   * @param path the scrape path
   * @param handlers the application's mappings of that path, described
   */
  static void warnIfTheApplicationMapsIt(
      Log logger, String pathProperty, String path, List<String> handlers) {
    if (!handlers.isEmpty()) {
      logger.warn(
          "The application maps "
              + path
              + " itself ("
              + String.join(", ", handlers)
              + "), but the starter's scrape answers every request to "
              + path
              + " first, so these handlers are never reached; move the scrape with "
              + pathProperty
              + " or the application's mapping to another path");
    }
  }
}
