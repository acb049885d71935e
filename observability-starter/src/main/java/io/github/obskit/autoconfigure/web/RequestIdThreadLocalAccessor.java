package io.github.obskit.autoconfigure.web;

import io.micrometer.context.ThreadLocalAccessor;
import org.slf4j.MDC;

/**
 * Carries the request id in the MDC ({@value RequestIds#MDC_KEY}) across threads wherever
 * Micrometer's context propagation is used: Boot's task executors with {@code
 * spring.task.execution.propagate-context=true}, Reactor's automatic context propagation, {@code
 * ContextExecutorService}. Registered with {@code ContextRegistry} through {@code
 * META-INF/services}.
 *
 * <p>Tracing's own accessor already carries {@code traceId} and {@code spanId}; {@code request_id}
 * is the starter's own MDC entry, which no other accessor knows.
 */
public final class RequestIdThreadLocalAccessor implements ThreadLocalAccessor<String> {

  /** The key of this accessor in the context registry. */
  public static final String KEY = "obskit.request-id";

  @Override
  public Object key() {
    return KEY;
  }

  @Override
  public String getValue() {
    return MDC.get(RequestIds.MDC_KEY);
  }

  @Override
  public void setValue(String requestId) {
    MDC.put(RequestIds.MDC_KEY, requestId);
  }

  @Override
  public void setValue() {
    MDC.remove(RequestIds.MDC_KEY);
  }
}
