package io.github.obskit;

import java.util.Properties;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Gives back after each test the system properties it found: Boot hands the logging settings to
 * logback as system properties ({@code LOG_FILE}, {@code CONSOLE_LOG_THRESHOLD}, {@code
 * CONSOLE_LOG_STRUCTURED_FORMAT}...) and sets each only when it is absent, so one left behind would
 * decide the logging of the next test's application.
 */
public final class RestoredSystemProperties implements BeforeEachCallback, AfterEachCallback {

  private static final Namespace NAMESPACE = Namespace.create(RestoredSystemProperties.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    Properties found = new Properties();
    found.putAll(System.getProperties());
    context.getStore(NAMESPACE).put(Properties.class, found);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Properties found = context.getStore(NAMESPACE).get(Properties.class, Properties.class);
    for (String name : System.getProperties().stringPropertyNames()) {
      if (!found.containsKey(name)) {
        System.clearProperty(name);
      }
    }
    System.getProperties().putAll(found);
  }
}
