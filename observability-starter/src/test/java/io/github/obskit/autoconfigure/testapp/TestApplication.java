package io.github.obskit.autoconfigure.testapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A tiny service using the starter as an application would: auto-configuration, no scanning. The
 * benchmark in {@code bench/} runs it through {@link #main(String[])}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestController.class)
public class TestApplication {

  public static void main(String[] args) {
    SpringApplication.run(TestApplication.class, args);
  }
}
