package io.github.obskit.autoconfigure.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import io.github.obskit.logging.BatchingConsoleAppender;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The {@link BatchingConsoleAppender}s that logback is currently configured with, looked up on each
 * call: Boot configures logging again (and replaces the appenders) after the context has started.
 */
final class LogPipeline {

  private LogPipeline() {}

  /** The appenders that are stalled now, by name, with why. */
  static Map<String, String> stalledAppenders() {
    Map<String, String> stalled = new LinkedHashMap<>();
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return stalled;
    }
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> appenders =
              logger.iteratorForAppenders();
          appenders.hasNext(); ) {
        if (appenders.next() instanceof BatchingConsoleAppender appender) {
          String reason = appender.getStallReason();
          if (reason != null) {
            stalled.putIfAbsent(appender.getName(), reason);
          }
        }
      }
    }
    return stalled;
  }
}
