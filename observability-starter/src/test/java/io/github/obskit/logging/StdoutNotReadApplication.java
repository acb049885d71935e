package io.github.obskit.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * A process that logs JSON lines of every size (one in 50 of 200 000 characters) as fast as it can
 * to a stdout that {@link StdoutNotReadProcessTests} does not read, until it is sent SIGTERM: its
 * shutdown hook stops logging, stops logback, and prints on stderr how many events it logged and
 * how many the appender counted as dropped.
 */
public final class StdoutNotReadApplication {

  /** Printed on stderr once the appender has dropped events: stdout is full and blocked. */
  public static final String BACKLOGGED = "backlogged";

  private static final String CONFIGURATION =
      """
      <configuration>
        <appender name="JSON" class="io.github.obskit.logging.BatchingConsoleAppender">
          <maxLineSize>4KB</maxLineSize>
          <maxFlushTime>500 milliseconds</maxFlushTime>
          <encoder class="net.logstash.logback.encoder.LogstashEncoder"/>
        </appender>
        <root level="INFO"><appender-ref ref="JSON"/></root>
      </configuration>
      """;

  private StdoutNotReadApplication() {}

  /**
   * Logs until SIGTERM.
   *
   * @param args none
   * @throws Exception when logback cannot be configured
   */
  public static void main(String[] args) throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(
        new ByteArrayInputStream(CONFIGURATION.getBytes(StandardCharsets.UTF_8)));
    Logger logger = context.getLogger("backlog");
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicLong logged = new AtomicLong();
    String huge = "h".repeat(200_000);
    Thread logging =
        new Thread(
            () -> {
              boolean announced = false;
              for (long event = 0; !stopping.get(); event++) {
                if (event % 50 == 0) {
                  // A string of its own per event, as a real one would be: the queue holds them.
                  logger.info("{} {}", event, huge);
                } else {
                  logger.info("event {} {}", event, "x".repeat((int) (event % 3000)));
                }
                logged.incrementAndGet();
                if (!announced && BatchingConsoleAppender.getDroppedEvents() > 0) {
                  announced = true;
                  System.err.println(BACKLOGGED + " pid=" + ProcessHandle.current().pid());
                }
              }
            },
            "logging");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  try {
                    logging.join();
                  } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                  }
                  context.stop();
                  System.err.println(
                      "logged="
                          + logged.get()
                          + " dropped="
                          + BatchingConsoleAppender.getDroppedEvents());
                }));
    logging.start();
    logging.join();
  }
}
