package io.github.obskit.autoconfigure.metrics;

import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Serves a Prometheus scrape on a path of its own in a WebFlux application (see {@link
 * PrometheusScrape} for what it answers).
 */
public final class ReactivePrometheusScrapeHandler implements WebHandler {

  private static final String INCLUDED_NAMES = "includedNames";

  private final PrometheusScrape scrape;

  /**
   * Creates a handler serving the scrapes of the given endpoint, running the given action before
   * each scrape, but not for a request it refuses.
   *
   * @param endpoint the endpoint that writes the exposition
   * @param beforeEachScrape what to do first, e.g. refresh the values scraped
   */
  public ReactivePrometheusScrapeHandler(
      PrometheusScrapeEndpoint endpoint, Runnable beforeEachScrape) {
    this.scrape = new PrometheusScrape(endpoint, beforeEachScrape);
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange) {
    ServerHttpRequest request = exchange.getRequest();
    // Collecting the meters (and refreshing them first) may block: not on an event-loop thread.
    return Mono.fromCallable(
            () ->
                this.scrape.answer(
                    request.getMethod().name(),
                    request.getHeaders().getOrEmpty(HttpHeaders.ACCEPT),
                    request.getQueryParams().get(INCLUDED_NAMES),
                    request.getPath().value()))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap((answer) -> write(exchange.getResponse(), answer));
  }

  private static Mono<Void> write(ServerHttpResponse response, PrometheusScrape.Response answer) {
    if (answer.allow()) {
      response.getHeaders().set(HttpHeaders.ALLOW, PrometheusScrape.ALLOW);
    }
    response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
    if (answer.contentType() == null) {
      return response.setComplete();
    }
    response.getHeaders().setContentType(MediaType.parseMediaType(answer.contentType()));
    response.getHeaders().setContentLength(answer.body().length);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(answer.body())));
  }
}
