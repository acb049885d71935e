package io.github.obskit.autoconfigure.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import io.github.obskit.logging.BatchingConsoleAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The {@link BatchingConsoleAppender}s that logback is currently configured with, looked up on each
 * call: Boot configures logging again (and replaces the appenders) after the context has started.
 */
final class LogPipeline {

  private LogPipeline() {}

  /** The names of the appenders that are stalled now. */
  static List<String> stalledAppenders() {
    List<String> stalled = new ArrayList<>();
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return stalled;
    }
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> appenders =
              logger.iteratorForAppenders();
          appenders.hasNext(); ) {
        if (appenders.next() instanceof BatchingConsoleAppender appender
            && appender.isStalled()
            && !stalled.contains(appender.getName())) {
          stalled.add(appender.getName());
        }
      }
    }
    return stalled;
  }
}
