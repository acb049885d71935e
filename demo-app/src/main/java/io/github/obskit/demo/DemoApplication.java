package io.github.obskit.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the demo service. */
@SpringBootApplication
public class DemoApplication {

  /**
   * Starts the demo service.
   *
   * @param args command-line arguments, passed on to Spring Boot
   */
  public static void main(String[] args) {
    SpringApplication.run(DemoApplication.class, args);
  }
}
