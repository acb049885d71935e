package io.github.obskit.autoconfigure.asyncapp;

import java.util.concurrent.atomic.AtomicReference;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** A {@code @Scheduled} method keeping what its last run saw. */
@Component
public class ScheduledWork {

  private final AtomicReference<ThreadContext> lastRun = new AtomicReference<>();

  @Scheduled(fixedDelay = 50)
  void run() {
    this.lastRun.set(ThreadContext.current());
  }

  public ThreadContext lastRun() {
    return this.lastRun.get();
  }
}
