package io.github.obskit.autoconfigure.asyncapp;

import java.util.concurrent.CompletableFuture;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/** An {@code @Async} method, run by Boot's task executor. */
@Component
public class AsyncWork {

  @Async
  public CompletableFuture<ThreadContext> seenContext() {
    return CompletableFuture.completedFuture(ThreadContext.current());
  }
}
