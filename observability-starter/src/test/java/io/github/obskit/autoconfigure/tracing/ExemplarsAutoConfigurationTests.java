package io.github.obskit.autoconfigure.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ExemplarsAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(BootTracing.AUTO_CONFIGURATIONS)
          .withConfiguration(
              AutoConfigurations.of(
                  SpanExportAutoConfiguration.class,
                  ExemplarsAutoConfiguration.class,
                  PrometheusExemplarsAutoConfiguration.class));

  @Test
  void withholdsExemplarsWhileNoEndpointIsSet() {
    this.contextRunner.run(
        (context) ->
            assertThat(context)
                .doesNotHaveBean(SpanExporter.class)
                .getBean(SpanContext.class)
                .isInstanceOf(UnexportedTracesSpanContext.class));
  }

  @Test
  void givesExemplarsOnlyWhileExportsSucceedOnceSpansAreExportedOverOtlp() {
    this.contextRunner
        .withPropertyValues(
            "management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces")
        .run(
            (context) ->
                assertThat(context)
                    .hasSingleBean(SpanExporter.class)
                    .doesNotHaveBean(UnexportedTracesSpanContext.class)
                    .getBean(SpanContext.class)
                    .isInstanceOf(ExportedTracesSpanContext.class));
  }

  @Test
  void leavesExemplarsOffWhenBootIsToldToIncludeNone() {
    this.contextRunner
        .withPropertyValues(
            "management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces",
            "management.tracing.exemplars.include=none")
        .run((context) -> assertThat(context).doesNotHaveBean(SpanContext.class));
  }

  @Test
  void withholdsExemplarsWhenExportIsSwitchedOffDespiteAnEndpoint() {
    this.contextRunner
        .withPropertyValues(
            "management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces",
            "management.tracing.export.enabled=false")
        .run((context) -> assertThat(context).hasSingleBean(UnexportedTracesSpanContext.class));
  }

  @Test
  void gatesExemplarsOnTheExportsOfASpanExporterOfTheApplicationsOwn() {
    this.contextRunner
        .withUserConfiguration(UserSpanExporterConfiguration.class)
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(UnexportedTracesSpanContext.class)
                    .getBean(SpanContext.class)
                    .isInstanceOf(ExportedTracesSpanContext.class));
  }

  @Test
  void backsOffWhenTheApplicationDefinesASpanContext() {
    this.contextRunner
        .withUserConfiguration(UserSpanContextConfiguration.class)
        .run(
            (context) ->
                assertThat(context)
                    .doesNotHaveBean(UnexportedTracesSpanContext.class)
                    .hasSingleBean(SpanContext.class)
                    .hasBean("userSpanContext"));
  }

  @Test
  void backsOffWithoutThePrometheusClient() {
    this.contextRunner
        .withClassLoader(new FilteredClassLoader(SpanContext.class))
        .run((context) -> assertThat(context).doesNotHaveBean(UnexportedTracesSpanContext.class));
  }

  @Test
  void unexportedTracesAreNeverSampled() {
    SpanContext spanContext = new UnexportedTracesSpanContext();

    assertThat(spanContext.isCurrentSpanSampled()).isFalse();
    assertThat(spanContext.getCurrentTraceId()).isNull();
    assertThat(spanContext.getCurrentSpanId()).isNull();
  }

  @Configuration(proxyBeanMethods = false)
  static class UserSpanExporterConfiguration {

    @Bean
    SpanExporter userSpanExporter() {
      return new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserSpanContextConfiguration {

    @Bean
    SpanContext userSpanContext() {
      return new SpanContext() {
        @Override
        public String getCurrentTraceId() {
          return "0af7651916cd43dd8448eb211c80319c";
        }

        @Override
        public String getCurrentSpanId() {
          return "b7ad6b7169203331";
        }

        @Override
        public boolean isCurrentSpanSampled() {
          return true;
        }

        @Override
        public void markCurrentSpanAsExemplar() {}
      };
    }
  }
}
