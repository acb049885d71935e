package io.github.obskit.autoconfigure.web;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Serves one path with GET (and so HEAD) from a {@link ScrapeHandler}, registered in Spring MVC's
 * mapping of annotated controllers while this bean lives.
 *
 * <p>An exact path there is found by a map lookup, so the application's other requests pay nothing
 * for it; a router function, by contrast, builds a {@code ServerRequest} for every request the
 * application serves. Without Spring MVC's mapping (no {@code DispatcherServlet}) nothing is
 * registered.
 */
public final class ScrapePathMapping implements InitializingBean, DisposableBean {

  /**
   * Name of Spring MVC's mapping of annotated controllers, as {@code WebMvcConfigurationSupport}
   * names it: Actuator's endpoint mappings are mappings of the same kind.
   */
  public static final String MVC_MAPPING_BEAN_NAME = "requestMappingHandlerMapping";

  private static final Method SCRAPE =
      ReflectionUtils.findMethod(ScrapeHandler.class, "scrape", HttpServletRequest.class);

  private final ObjectProvider<RequestMappingHandlerMapping> mappings;

  private final String pathProperty;

  private final String path;

  private final ScrapeHandler handler;

  private RequestMappingHandlerMapping registeredIn;

  private RequestMappingInfo info;

  /**
   * Creates the mapping of the given path to the given handler.
   *
   * @param mappings Spring MVC's {@code requestMappingHandlerMapping}, if there is one
   * @param pathProperty the property the path is set with, named when the path is taken already
   * @param path the path, a leading slash added when missing
   * @param handler the handler answering the path's requests
   */
  public ScrapePathMapping(
      ObjectProvider<RequestMappingHandlerMapping> mappings,
      String pathProperty,
      String path,
      ScrapeHandler handler) {
    this.mappings = mappings;
    this.pathProperty = pathProperty;
    this.path = path;
    this.handler = handler;
  }

  @Override
  public void afterPropertiesSet() {
    this.mappings.ifAvailable(
        (mapping) -> {
          this.info =
              RequestMappingInfo.paths(this.path)
                  .methods(RequestMethod.GET)
                  .options(mapping.getBuilderConfiguration())
                  .build();
          try {
            mapping.registerMapping(this.info, this.handler, SCRAPE);
          } catch (IllegalStateException ex) {
            throw new IllegalStateException(
                "Cannot serve "
                    + this.pathProperty
                    + "="
                    + this.path
                    + ": the application maps that path already. Set "
                    + this.pathProperty
                    + " to another path, or to an empty value not to serve it. "
                    + ex.getMessage(),
                ex);
          }
          this.registeredIn = mapping;
        });
  }

  @Override
  public void destroy() {
    if (this.registeredIn != null) {
      this.registeredIn.unregisterMapping(this.info);
    }
  }

  @Override
  public String toString() {
    return "GET " + this.path + " -> " + this.handler;
  }
}
