package io.github.obskit.autoconfigure.metrics;

import io.micrometer.common.KeyValue;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Boot's request convention, except that a 404 answered by Spring MVC's static-resource handler is
 * tagged {@code uri="NOT_FOUND"} rather than with that handler's {@code /**} pattern: unknown paths
 * then read the same in metrics, dashboards and the access log, whether or not the application
 * serves static resources.
 */
public class NotFoundUriServerRequestObservationConvention
    extends DefaultServerRequestObservationConvention {

  private static final KeyValue URI_NOT_FOUND = KeyValue.of("uri", "NOT_FOUND");

  /**
   * Creates the convention for the observation of the given name.
   *
   * @param name the observation name, {@code http.server.requests} unless configured otherwise
   */
  public NotFoundUriServerRequestObservationConvention(String name) {
    super(name);
  }

  @Override
  protected KeyValue uri(ServerRequestObservationContext context) {
    HttpServletResponse response = context.getResponse();
    if (response != null
        && response.getStatus() == HttpServletResponse.SC_NOT_FOUND
        && context.getCarrier().getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE)
            instanceof ResourceHttpRequestHandler) {
      return URI_NOT_FOUND;
    }
    return super.uri(context);
  }
}
