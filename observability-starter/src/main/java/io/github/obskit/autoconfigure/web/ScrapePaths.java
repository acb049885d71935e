package io.github.obskit.autoconfigure.web;

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
}
