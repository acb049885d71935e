package io.github.obskit.autoconfigure.web;

import io.micrometer.observation.Observation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/** Reads Spring MVC's server request observations. Internal to the starter, not an API. */
public final class ServletServerRequestReader implements ServerRequestReader {

  @Override
  public boolean isServerRequest(Observation.Context context) {
    return context instanceof ServerRequestObservationContext;
  }

  private static HttpServletRequest request(Observation.Context context) {
    return ((ServerRequestObservationContext) context).getCarrier();
  }

  @Override
  public String pathWithinApplication(Observation.Context context) {
    HttpServletRequest request = request(context);
    String uri = request.getRequestURI();
    String contextPath = request.getContextPath();
    // Not ServletRequestPathUtils' cached path: its pathWithinApplication() leaves out the servlet
    // path of a path-mapped DispatcherServlet, which the patterns include.
    return (contextPath != null && uri.startsWith(contextPath))
        ? uri.substring(contextPath.length())
        : uri;
  }

  @Override
  public String path(Observation.Context context) {
    return ServerRequestReader.withoutPathParameters(request(context).getRequestURI());
  }

  @Override
  public String method(Observation.Context context) {
    return request(context).getMethod();
  }

  @Override
  public String clientAddress(Observation.Context context) {
    return request(context).getRemoteAddr();
  }

  @Override
  public String userAgent(Observation.Context context) {
    return request(context).getHeader(HttpHeaders.USER_AGENT);
  }

  @Override
  public String requestId(Observation.Context context) {
    return (request(context).getAttribute(RequestIds.ATTRIBUTE) instanceof String id) ? id : null;
  }
}
