package io.github.obskit.autoconfigure.metrics;

import io.micrometer.common.KeyValue;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.resource.ResourceWebHandler;

/**
 * Boot's reactive request convention, except that a 404 answered by WebFlux's static-resource
 * handler is tagged {@code uri="NOT_FOUND"} rather than with that handler's {@code /**} pattern, as
 * {@link NotFoundUriServerRequestObservationConvention} does for Spring MVC.
 */
public class ReactiveNotFoundUriServerRequestObservationConvention
    extends DefaultServerRequestObservationConvention {

  private static final KeyValue URI_NOT_FOUND = KeyValue.of("uri", "NOT_FOUND");

  /**
   * Creates the convention for the observation of the given name.
   *
   * @param name the observation name, {@code http.server.requests} unless configured otherwise
   */
  public ReactiveNotFoundUriServerRequestObservationConvention(String name) {
    super(name);
  }

  @Override
  protected KeyValue uri(ServerRequestObservationContext context) {
    ServerHttpResponse response = context.getResponse();
    if (response != null
        && HttpStatus.NOT_FOUND.equals(response.getStatusCode())
        && context.getAttributes().get(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE)
            instanceof ResourceWebHandler) {
      return URI_NOT_FOUND;
    }
    return super.uri(context);
  }
}
