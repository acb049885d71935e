package io.github.obskit.autoconfigure.testapp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Endpoints the tests and the benchmark call: a templated route, logging and failing routes. */
@RestController
public class TestController {

  private static final Logger logger = LoggerFactory.getLogger(TestController.class);

  @GetMapping("/")
  public String root() {
    return "ok";
  }

  @GetMapping("/orders/{id}")
  public String order(@PathVariable String id) {
    return "order " + id;
  }

  @GetMapping("/orders")
  public List<Map<String, Object>> orders() {
    return IntStream.rangeClosed(1, 100)
        .mapToObj((id) -> Map.<String, Object>of("id", id, "item", "order number " + id))
        .toList();
  }

  @GetMapping("/log")
  public String log(@RequestParam String message) {
    logger.info(message);
    return "logged";
  }

  @GetMapping("/async/{id}")
  public Callable<String> async(@PathVariable String id) {
    return () -> "async " + id;
  }

  @GetMapping("/fail")
  public String fail() {
    throw new IllegalStateException("requested failure");
  }
}
