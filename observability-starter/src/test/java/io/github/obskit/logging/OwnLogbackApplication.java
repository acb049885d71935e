package io.github.obskit.logging;

import org.apache.commons.logging.LogFactory;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * An application started in a JVM of its own by {@link OwnLogbackConfigurationProcessTests}: it
 * starts, logs through SLF4J and commons-logging (with a stack trace), and stops.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class OwnLogbackApplication {

  /**
   * Starts, logs and stops the application.
   *
   * @param args Spring Boot arguments
   */
  public static void main(String[] args) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(OwnLogbackApplication.class)
            .web(WebApplicationType.NONE)
            .run(args)) {
      LoggerFactory.getLogger(OwnLogbackApplication.class).info("through SLF4J\nsecond line");
      LogFactory.getLog(OwnLogbackApplication.class)
          .warn("through commons-logging", new IllegalStateException("a stack trace"));
    }
  }
}
