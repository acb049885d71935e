package io.github.obskit.autoconfigure.web;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Gives every WebFlux request an id ({@link RequestIds}), keeps it as the exchange attribute {@link
 * RequestIds#ATTRIBUTE}, echoes it in the response header and puts it in the Reactor context under
 * {@link RequestIdThreadLocalAccessor#KEY}: with Reactor's automatic context propagation ({@code
 * spring.reactor.context-propagation=auto}, a default of the starter), the accessor then puts it in
 * the MDC as {@value RequestIds#MDC_KEY} wherever the request's operators run.
 */
public class RequestIdWebFilter implements WebFilter, Ordered {

  /** Before everything else, so that every log line of the request carries the id. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

  private final String header;

  /**
   * Creates a filter reading and writing the request id in the given header.
   *
   * @param header the header name, for example {@code X-Request-Id}
   */
  public RequestIdWebFilter(String header) {
    this.header = header;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String requestId =
        (exchange.getAttribute(RequestIds.ATTRIBUTE) instanceof String existing)
            ? existing
            : RequestIds.acceptOrGenerate(exchange.getRequest().getHeaders().getFirst(this.header));
    exchange.getAttributes().put(RequestIds.ATTRIBUTE, requestId);
    HttpHeaders responseHeaders = exchange.getResponse().getHeaders();
    if (!responseHeaders.containsHeader(this.header)) {
      responseHeaders.set(this.header, requestId);
    }
    return chain
        .filter(exchange)
        .contextWrite(Context.of(RequestIdThreadLocalAccessor.KEY, requestId));
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
