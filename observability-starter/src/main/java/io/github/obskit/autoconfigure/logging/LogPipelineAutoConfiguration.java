package io.github.obskit.autoconfigure.logging;

import ch.qos.logback.classic.LoggerContext;
import io.github.obskit.logging.BatchingConsoleAppender;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health ({@code logPipeline}, a member of the readiness group by default) and the meters
 * ({@code log.dropped.events} by reason, {@code log.truncated.events}) of the starter's {@link
 * BatchingConsoleAppender}.
 */
@AutoConfiguration
@ConditionalOnClass(LoggerContext.class)
public final class LogPipelineAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterBinder.class)
  static class LogPipelineMetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LogPipelineMetrics logPipelineMetrics() {
      return new LogPipelineMetrics();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class LogPipelineHealthConfiguration {

    // The readiness group names it (a default of the starter, under these very conditions).
    @Bean
    @ConditionalOnMissingBean(name = "logPipelineHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("logpipeline")
    LogPipelineHealthIndicator logPipelineHealthIndicator() {
      return new LogPipelineHealthIndicator();
    }
  }
}
