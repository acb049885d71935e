package io.github.obskit.autoconfigure.web;

import io.micrometer.observation.Observation;
import java.net.InetSocketAddress;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/** Reads WebFlux's server request observations. Internal to the starter, not an API. */
public final class ReactiveServerRequestReader implements ServerRequestReader {

  @Override
  public boolean isServerRequest(Observation.Context context) {
    return context instanceof ServerRequestObservationContext;
  }

  private static ServerHttpRequest request(Observation.Context context) {
    return ((ServerRequestObservationContext) context).getCarrier();
  }

  @Override
  public String pathWithinApplication(Observation.Context context) {
    return request(context).getPath().pathWithinApplication().value();
  }

  @Override
  public String path(Observation.Context context) {
    return ServerRequestReader.withoutPathParameters(request(context).getPath().value());
  }

  @Override
  public String method(Observation.Context context) {
    return request(context).getMethod().name();
  }

  @Override
  public String clientAddress(Observation.Context context) {
    InetSocketAddress address = request(context).getRemoteAddress();
    if (address == null) {
      return null;
    }
    return (address.getAddress() != null)
        ? address.getAddress().getHostAddress()
        : address.getHostString();
  }

  @Override
  public String userAgent(Observation.Context context) {
    return request(context).getHeaders().getFirst(HttpHeaders.USER_AGENT);
  }

  @Override
  public String requestId(Observation.Context context) {
    // The exchange's attributes, which the context holds as a live view.
    return (((ServerRequestObservationContext) context).getAttributes().get(RequestIds.ATTRIBUTE)
            instanceof String id)
        ? id
        : null;
  }
}
