package io.github.obskit.autoconfigure.asyncapp;

import org.slf4j.MDC;

/**
 * What a log line written on the current thread would carry: its MDC's ids and the thread's name.
 *
 * @param traceId MDC {@code traceId}
 * @param requestId MDC {@code request_id}
 * @param thread the thread's name
 */
public record ThreadContext(String traceId, String requestId, String thread) {

  static ThreadContext current() {
    return new ThreadContext(
        MDC.get("traceId"), MDC.get("request_id"), Thread.currentThread().getName());
  }
}
