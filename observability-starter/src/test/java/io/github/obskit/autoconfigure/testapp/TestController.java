package io.github.obskit.autoconfigure.testapp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Endpoints the tests call: a templated route, a logging route and a failing route. */
@RestController
public class TestController {

  private static final Logger logger = LoggerFactory.getLogger(TestController.class);

  @GetMapping("/orders/{id}")
  public String order(@PathVariable String id) {
    return "order " + id;
  }

  @GetMapping("/log")
  public String log(@RequestParam String message) {
    logger.info(message);
    return "logged";
  }

  @GetMapping("/fail")
  public String fail() {
    throw new IllegalStateException("requested failure");
  }
}
