package io.github.obskit.autoconfigure.asyncapp;

import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import org.springframework.core.task.TaskExecutor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Answers with what another thread saw of the request's context. */
@RestController
public class OtherThreadController {

  private final AsyncWork asyncWork;

  private final TaskExecutor applicationTaskExecutor;

  private final ExecutorService ownExecutor = Executors.newSingleThreadExecutor();

  public OtherThreadController(AsyncWork asyncWork, TaskExecutor applicationTaskExecutor) {
    this.asyncWork = asyncWork;
    this.applicationTaskExecutor = applicationTaskExecutor;
  }

  @GetMapping("/here")
  public ThreadContext here() {
    return ThreadContext.current();
  }

  @GetMapping("/async-method")
  public ThreadContext asyncMethod() {
    return this.asyncWork.seenContext().join();
  }

  @GetMapping("/task-executor")
  public ThreadContext taskExecutor() {
    CompletableFuture<ThreadContext> seen = new CompletableFuture<>();
    this.applicationTaskExecutor.execute(() -> seen.complete(ThreadContext.current()));
    return seen.join();
  }

  @GetMapping("/common-pool")
  public ThreadContext commonPool() {
    return CompletableFuture.supplyAsync(ThreadContext::current).join();
  }

  @GetMapping("/common-pool-wrapped")
  public ThreadContext commonPoolWrapped() {
    Executor commonPool =
        ContextSnapshotFactory.builder()
            .build()
            .captureAll()
            .wrapExecutor(ForkJoinPool.commonPool());
    return CompletableFuture.supplyAsync(ThreadContext::current, commonPool).join();
  }

  @GetMapping("/own-executor")
  public ThreadContext ownExecutor() throws Exception {
    return this.ownExecutor.submit(ThreadContext::current).get();
  }

  @GetMapping("/own-executor-wrapped")
  public ThreadContext ownExecutorWrapped() throws Exception {
    return ContextExecutorService.wrap(this.ownExecutor, ContextSnapshotFactory.builder().build())
        .submit(ThreadContext::current)
        .get();
  }
}
