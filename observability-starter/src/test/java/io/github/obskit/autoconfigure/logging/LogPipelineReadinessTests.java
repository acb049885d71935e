package io.github.obskit.autoconfigure.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.github.obskit.autoconfigure.metrics.MetricsDefaultsEnvironmentPostProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The readiness group the starter defaults and the {@code logPipeline} indicator it names, together
 * with Boot's health auto-configuration, which fails the startup on a member that does not exist.
 */
class LogPipelineReadinessTests {

  private static final String READINESS_INCLUDE =
      "management.endpoint.health.group.readiness.include";

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withInitializer(
              (context) -> {
                SpringApplication application = new SpringApplication();
                application.setResourceLoader(new DefaultResourceLoader(context.getClassLoader()));
                new MetricsDefaultsEnvironmentPostProcessor()
                    .postProcessEnvironment(context.getEnvironment(), application);
              })
          .withConfiguration(
              AutoConfigurations.of(
                  ApplicationAvailabilityAutoConfiguration.class,
                  AvailabilityHealthContributorAutoConfiguration.class,
                  AvailabilityProbesAutoConfiguration.class,
                  HealthContributorAutoConfiguration.class,
                  HealthContributorRegistryAutoConfiguration.class,
                  HealthEndpointAutoConfiguration.class,
                  LogPipelineAutoConfiguration.class));

  @Test
  void readinessIncludesTheLogPipelineWithLogback() {
    this.contextRunner.run(
        (context) -> {
          assertThat(context).hasNotFailed().hasBean("logPipelineHealthIndicator");
          assertThat(readinessIncludes(context.getBean(HealthEndpointGroups.class), "logPipeline"))
              .isTrue();
        });
  }

  @Test
  void applicationWithoutLogbackStartsWithReadinessLeftToBoot() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(LoggerContext.class))
        .run(
            (context) -> {
              assertThat(context).hasNotFailed().doesNotHaveBean("logPipelineHealthIndicator");
              assertThat(context.getEnvironment().getProperty(READINESS_INCLUDE)).isNull();
              assertThat(
                      readinessIncludes(
                          context.getBean(HealthEndpointGroups.class), "readinessState"))
                  .isTrue();
            });
  }

  @Test
  void disabledIndicatorIsNeitherCreatedNorNamedByReadiness() {
    this.contextRunner
        .withPropertyValues("management.health.logpipeline.enabled=false")
        .run(
            (context) -> {
              assertThat(context).hasNotFailed().doesNotHaveBean("logPipelineHealthIndicator");
              assertThat(context.getEnvironment().getProperty(READINESS_INCLUDE)).isNull();
            });
  }

  @Test
  void indicatorsDisabledByDefaultLeaveTheLogPipelineOutUnlessEnabledByName() {
    this.contextRunner
        .withPropertyValues("management.health.defaults.enabled=false")
        .run(
            (context) -> {
              assertThat(context).hasNotFailed().doesNotHaveBean("logPipelineHealthIndicator");
              assertThat(context.getEnvironment().getProperty(READINESS_INCLUDE)).isNull();
            });
    this.contextRunner
        .withPropertyValues(
            "management.health.defaults.enabled=false",
            "management.health.logpipeline.enabled=true")
        .run(
            (context) -> {
              assertThat(context).hasNotFailed().hasBean("logPipelineHealthIndicator");
              assertThat(context.getEnvironment().getProperty(READINESS_INCLUDE))
                  .isEqualTo("readinessState,logPipeline");
            });
  }

  private static boolean readinessIncludes(HealthEndpointGroups groups, String member) {
    return groups.get("readiness").isMember(member);
  }
}
