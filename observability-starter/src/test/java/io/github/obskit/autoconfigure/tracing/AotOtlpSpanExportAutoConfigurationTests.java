package io.github.obskit.autoconfigure.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.obskit.Waits;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpHttpSpanExporterBuilderCustomizer;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.AbstractAotProcessor;

/**
 * An application AOT-processed without an OTLP endpoint, simulated in one refresh: the conditions
 * are evaluated with the build's properties, and the run-time properties are added after them (by a
 * bean factory post-processor, which runs once the configuration classes are parsed) and before any
 * bean is created, as an AOT-processed application binds them when it starts.
 */
class AotOtlpSpanExportAutoConfigurationTests {

  private static final String ENDPOINT = RunTimeOtlpSpanExporterFactory.ENDPOINT;

  private static final String BEAN = "runTimeOtlpSpanExporter";

  private static final String[] EXPORTER_SETTINGS = {
    "management.opentelemetry.tracing.export.otlp.timeout=7s",
    "management.opentelemetry.tracing.export.otlp.connect-timeout=3s",
    "management.opentelemetry.tracing.export.otlp.compression=gzip",
    "management.opentelemetry.tracing.export.otlp.headers.tenant=obskit"
  };

  @AutoClose private final OtlpReceiver receiver = OtlpReceiver.start();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(BootTracing.AUTO_CONFIGURATIONS)
          .withConfiguration(
              AutoConfigurations.of(
                  SpanExportAutoConfiguration.class,
                  AotOtlpSpanExportAutoConfiguration.class,
                  ExemplarsAutoConfiguration.class))
          .withPropertyValues("management.tracing.sampling.probability=1");

  private final ApplicationContextRunner aotProcessing =
      this.runner.withSystemProperties(AbstractAotProcessor.AOT_PROCESSING + "=true");

  @Test
  void exportsSpansToTheEndpointGivenAtRunTime() {
    this.aotProcessing
        .withInitializer(atRunTime(ENDPOINT + "=" + this.receiver.tracesEndpoint()))
        .run(
            (context) -> {
              assertThat(exporters(context))
                  .singleElement()
                  .isInstanceOf(OtlpHttpSpanExporter.class);
              SdkTracerProvider tracerProvider = context.getBean(SdkTracerProvider.class);
              tracerProvider
                  .get("aot-test")
                  .spanBuilder("built-without-endpoint")
                  .startSpan()
                  .end();
              tracerProvider.forceFlush().join(Waits.HTTP.toSeconds(), TimeUnit.SECONDS);

              await()
                  .atMost(Waits.CONDITION)
                  .untilAsserted(
                      () ->
                          assertThat(this.receiver.spans())
                              .extracting(OtlpReceiver.ReceivedSpan::name)
                              .contains("built-without-endpoint"));
              assertThat(context.getBean(SpanExportResults.class).latestExportsSucceeded())
                  .isTrue();
            });
  }

  @Test
  void choosesTheExemplarSpanContextOfExportedTracesAtBuildTime() {
    this.aotProcessing.run(
        (context) ->
            assertThat(context.getBean(SpanContext.class))
                .isInstanceOf(ExportedTracesSpanContext.class));
  }

  @Test
  void exportsNothingWithoutAnEndpointAtRunTime() {
    this.aotProcessing.run(
        (context) -> {
          assertThat(context).hasNotFailed();
          assertThat(context.containsBeanDefinition(BEAN)).isTrue();
          assertThat(exporters(context)).isEmpty();
          assertThat(context.getBean(SpanExporters.class).list()).isEmpty();
        });
  }

  @Test
  void exportsNothingWhenExportIsSwitchedOffAtRunTime() {
    this.aotProcessing
        .withInitializer(
            atRunTime(
                ENDPOINT + "=" + this.receiver.tracesEndpoint(),
                "management.tracing.export.enabled=false"))
        .run((context) -> assertThat(exporters(context)).isEmpty());
    this.aotProcessing
        .withInitializer(
            atRunTime(
                ENDPOINT + "=" + this.receiver.tracesEndpoint(),
                "management.tracing.export.otlp.enabled=false"))
        .run((context) -> assertThat(exporters(context)).isEmpty());
  }

  @Test
  void theOtlpSwitchAtRunTimeOverridesTheSwitchOfAllExporters() {
    this.aotProcessing
        .withInitializer(
            atRunTime(
                ENDPOINT + "=" + this.receiver.tracesEndpoint(),
                "management.tracing.export.enabled=false",
                "management.tracing.export.otlp.enabled=true"))
        .run((context) -> assertThat(exporters(context)).hasSize(1));
  }

  // The starter ships the JDK's HTTP sender only (see its pom): the gRPC exporter needs a gRPC
  // sender the application adds, and fails without one exactly as Boot's does.
  @Test
  void usesTheGrpcTransportGivenAtRunTimeAsBootDoes() {
    String[] grpc = {
      ENDPOINT + "=http://127.0.0.1:4317",
      "management.opentelemetry.tracing.export.otlp.transport=grpc"
    };
    AtomicReference<String> bootsFailure = new AtomicReference<>();
    this.runner
        .withPropertyValues(grpc)
        .run((context) -> bootsFailure.set(rootCauseMessage(context.getStartupFailure())));
    this.aotProcessing
        .withInitializer(atRunTime(grpc))
        .run(
            (context) -> {
              assertThat(context.getStartupFailure()).hasMessageContaining(BEAN);
              assertThat(rootCauseMessage(context.getStartupFailure()))
                  .contains("No GrpcSenderProvider found")
                  .isEqualTo(bootsFailure.get());
            });
  }

  @Test
  void buildsTheHttpExporterBootBuildsForTheSameSettings() {
    assertThat(runTimeExporter())
        .contains("timeoutNanos=7000000000", "compressorEncoding=gzip", "tenant")
        .isEqualTo(bootsExporter());
  }

  @Test
  void appliesTheBuilderCustomizers() {
    OtlpHttpSpanExporterBuilderCustomizer customizer =
        (builder) -> builder.addHeader("customized-by", "application");
    this.aotProcessing
        .withBean(OtlpHttpSpanExporterBuilderCustomizer.class, () -> customizer)
        .withInitializer(atRunTime(ENDPOINT + "=" + this.receiver.tracesEndpoint()))
        .run(
            (context) ->
                assertThat(exporters(context))
                    .singleElement()
                    .asString()
                    .contains("customized-by"));
  }

  @Test
  void refusesToStartWithAnUnknownSslBundleAtRunTime() {
    this.aotProcessing
        .withInitializer(
            atRunTime(
                ENDPOINT + "=https://127.0.0.1:4318/v1/traces",
                "management.opentelemetry.tracing.export.otlp.ssl.bundle=missing"))
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
        .run(
            (context) ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(NoSuchSslBundleException.class)
                    .hasMessageContaining("missing"));
  }

  @Test
  void leavesAnApplicationNotProcessedByAotToBoot() {
    this.runner
        .withInitializer(atRunTime(ENDPOINT + "=" + this.receiver.tracesEndpoint()))
        .run(
            (context) -> {
              assertThat(context.containsBeanDefinition(BEAN)).isFalse();
              assertThat(exporters(context)).isEmpty();
            });
    this.runner
        .withPropertyValues(ENDPOINT + "=" + this.receiver.tracesEndpoint())
        .run(AotOtlpSpanExportAutoConfigurationTests::hasBootsExporterOnly);
  }

  @Test
  void leavesAnApplicationProcessedWithAnEndpointToBoot() {
    this.aotProcessing
        .withPropertyValues(ENDPOINT + "=" + this.receiver.tracesEndpoint())
        .run(AotOtlpSpanExportAutoConfigurationTests::hasBootsExporterOnly);
  }

  @Test
  void contributesNoExporterWhenExportWasSwitchedOffAtBuildTime() {
    this.aotProcessing
        .withPropertyValues("management.tracing.export.enabled=false")
        .run((context) -> assertThat(context.containsBeanDefinition(BEAN)).isFalse());
  }

  private static String rootCauseMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

  // Boot's exporter: the endpoint known when the conditions are evaluated.
  private String bootsExporter() {
    return exporterDescription(
        this.runner
            .withPropertyValues(EXPORTER_SETTINGS)
            .withPropertyValues(ENDPOINT + "=" + this.receiver.tracesEndpoint()),
        false);
  }

  // The starter's: conditions evaluated during AOT processing, the settings bound at run time.
  private String runTimeExporter() {
    return exporterDescription(
        this.aotProcessing
            .withInitializer(atRunTime(EXPORTER_SETTINGS))
            .withInitializer(atRunTime(ENDPOINT + "=" + this.receiver.tracesEndpoint())),
        true);
  }

  private static String exporterDescription(ApplicationContextRunner runner, boolean runTime) {
    AtomicReference<String> exporter = new AtomicReference<>();
    runner.run(
        (context) -> {
          assertThat(context.containsBeanDefinition(BEAN)).isEqualTo(runTime);
          exporter.set(exporters(context).get(0).toString());
        });
    return exporter.get();
  }

  private static void hasBootsExporterOnly(ConfigurableApplicationContext context) {
    assertThat(context.containsBeanDefinition(BEAN)).isFalse();
    assertThat(exporters(context)).singleElement().isInstanceOf(OtlpHttpSpanExporter.class);
  }

  private static List<SpanExporter> exporters(ConfigurableApplicationContext context) {
    return context.getBeanProvider(SpanExporter.class).orderedStream().toList();
  }

  private static ApplicationContextInitializer<ConfigurableApplicationContext> atRunTime(
      String... properties) {
    return (context) ->
        context.addBeanFactoryPostProcessor(
            (beanFactory) -> TestPropertyValues.of(properties).applyTo(context.getEnvironment()));
  }
}
