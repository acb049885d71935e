package io.github.obskit.autoconfigure.reactiveapp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** WebFlux endpoints the tests call: a templated route, logging on another thread, failing. */
@RestController
public class ReactiveTestController {

  private static final Logger logger = LoggerFactory.getLogger(ReactiveTestController.class);

  @GetMapping("/orders/{id}")
  public Mono<String> order(@PathVariable String id) {
    return Mono.just("order " + id);
  }

  @GetMapping("/log")
  public Mono<String> log(@RequestParam String message) {
    logger.info(message + " on the request thread");
    // Logged on another thread: the request id must follow through Reactor's context.
    return Mono.fromCallable(
            () -> {
              logger.info(message);
              return "logged";
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  @GetMapping("/fail")
  public Mono<String> fail() {
    return Mono.error(new IllegalStateException("requested failure"));
  }
}
