package io.github.obskit.autoconfigure.web;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** Captures the events of the access logger during each test. */
final class AccessLogEvents implements BeforeEachCallback, AfterEachCallback {

  private final Logger accessLogger =
      (Logger) LoggerFactory.getLogger(AccessLogObservationHandler.LOGGER_NAME);

  private final ListAppender<ILoggingEvent> events =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
          // As an asynchronous appender does: the MDC is read when the event is logged.
          event.prepareForDeferredProcessing();
          super.append(event);
        }
      };

  private boolean additive;

  @Override
  public void beforeEach(ExtensionContext context) {
    this.events.list.clear();
    this.events.start();
    this.accessLogger.addAppender(this.events);
    // Only here: a JSON console appender left by an earlier test's application would print the
    // events later, into whatever output a following test captures.
    this.additive = this.accessLogger.isAdditive();
    this.accessLogger.setAdditive(false);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    this.accessLogger.setAdditive(this.additive);
    this.accessLogger.detachAppender(this.events);
  }

  List<ILoggingEvent> events() {
    return this.events.list;
  }

  static Map<String, Object> fields(ILoggingEvent event) {
    return event.getKeyValuePairs().stream()
        .collect(Collectors.toMap((pair) -> pair.key, (pair) -> pair.value));
  }
}
