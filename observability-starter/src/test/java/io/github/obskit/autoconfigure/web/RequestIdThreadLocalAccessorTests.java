package io.github.obskit.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.obskit.Waits;
import io.micrometer.context.ContextRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

class RequestIdThreadLocalAccessorTests {

  private static final Callable<String> REQUEST_ID_SEEN_BY_THE_TASK =
      () -> MDC.get(RequestIds.MDC_KEY);

  // One thread, so that the second task runs where the first one ran.
  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
          .withPropertyValues(
              "spring.task.execution.pool.core-size=1", "spring.task.execution.pool.max-size=1");

  @AfterEach
  void clearTheMdc() {
    MDC.clear();
  }

  @Test
  void isRegisteredWithMicrometersContextRegistry() {
    assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
        .hasAtLeastOneElementOfType(RequestIdThreadLocalAccessor.class);
  }

  @Test
  void carriesTheRequestIdToBootsTaskExecutorWhenContextPropagationIsOn() {
    this.contextRunner
        .withPropertyValues("spring.task.execution.propagate-context=true")
        .run(
            (context) -> {
              ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
              MDC.put(RequestIds.MDC_KEY, "r-1");
              assertThat(
                      executor
                          .submit(REQUEST_ID_SEEN_BY_THE_TASK)
                          .get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS))
                  .isEqualTo("r-1");

              MDC.remove(RequestIds.MDC_KEY);
              assertThat(
                      executor
                          .submit(REQUEST_ID_SEEN_BY_THE_TASK)
                          .get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS))
                  .as("the executor's thread after the task")
                  .isNull();
            });
  }

  @Test
  void leavesTheExecutorAloneWhenContextPropagationIsOff() {
    this.contextRunner.run(
        (context) -> {
          MDC.put(RequestIds.MDC_KEY, "r-1");
          assertThat(
                  context
                      .getBean(ThreadPoolTaskExecutor.class)
                      .submit(REQUEST_ID_SEEN_BY_THE_TASK)
                      .get(Waits.CONDITION.toSeconds(), TimeUnit.SECONDS))
              .isNull();
        });
  }
}
