package io.github.obskit.autoconfigure.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Writes the trace id of the request's span to a response header in a WebFlux application, as
 * {@link TraceIdResponseHeaderFilter} does for Spring MVC. The span is read from the request's
 * {@code http.server.requests} observation, which WebFlux starts before the first {@code
 * WebFilter}, so the header does not depend on the span being current on the filter's thread.
 */
public class TraceIdResponseHeaderWebFilter implements WebFilter, Ordered {

  private final String header;

  /**
   * Creates a filter writing the request's trace id to the given header.
   *
   * @param header the response header
   */
  public TraceIdResponseHeaderWebFilter(String header) {
    this.header = header;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    // Also for a trace that is not sampled: its id is the one in the request's log lines.
    String traceId = traceId(exchange);
    if (StringUtils.hasText(traceId)) {
      exchange.getResponse().getHeaders().set(this.header, traceId);
    }
    return chain.filter(exchange);
  }

  private static String traceId(ServerWebExchange exchange) {
    ServerRequestObservationContext observation =
        ServerRequestObservationContext.findCurrent(exchange.getAttributes()).orElse(null);
    if (observation == null) {
      return null;
    }
    TracingObservationHandler.TracingContext tracing =
        observation.get(TracingObservationHandler.TracingContext.class);
    Span span = (tracing != null) ? tracing.getSpan() : null;
    return (span != null) ? span.context().traceId() : null;
  }

  // Right after the request id's filter, before any filter of the application's may commit.
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 1;
  }
}
