package io.github.obskit.aot;

import java.util.function.BooleanSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aot.AotDetector;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Warns at startup when an AOT-processed application is given an OTLP endpoint but has no span
 * exporter.
 *
 * <p>{@code spring-boot:process-aot} evaluates Boot's conditions at build time: built without an
 * endpoint, the application has no OTLP exporter bean, and an endpoint given when it starts ({@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}, which Boot maps to {@value #ENDPOINT}) changes nothing: no span and
 * no exemplar, and nothing else says so. A listener from {@code spring.factories} rather than a
 * bean, so AOT cannot leave it out too.
 */
public final class AotSpanExportCheck implements ApplicationListener<ApplicationStartedEvent> {

  /** Boot's property for the OTLP traces endpoint. */
  static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

  private static final String SPAN_EXPORTER = "io.opentelemetry.sdk.trace.export.SpanExporter";

  private final BooleanSupplier aotProcessed;

  private final Log logger;

  /** Checks when the application runs from AOT-generated code. */
  public AotSpanExportCheck() {
    this(AotDetector::useGeneratedArtifacts, LogFactory.getLog(AotSpanExportCheck.class));
  }

  AotSpanExportCheck(BooleanSupplier aotProcessed, Log logger) {
    this.aotProcessed = aotProcessed;
    this.logger = logger;
  }

  @Override
  public void onApplicationEvent(ApplicationStartedEvent event) {
    ConfigurableApplicationContext context = event.getApplicationContext();
    Environment environment = context.getEnvironment();
    String endpoint = environment.getProperty(ENDPOINT);
    if (!this.aotProcessed.getAsBoolean()
        || !StringUtils.hasText(endpoint)
        || !environment.getProperty("management.tracing.export.enabled", Boolean.class, true)
        || !ClassUtils.isPresent(SPAN_EXPORTER, context.getClassLoader())
        || context
                .getBeanFactory()
                .getBeanNamesForType(
                    ClassUtils.resolveClassName(SPAN_EXPORTER, context.getClassLoader()))
                .length
            > 0) {
      return;
    }
    this.logger.warn(
        "Spans are not exported although "
            + ENDPOINT
            + " is "
            + endpoint
            + ": this application was AOT-processed (spring-boot:process-aot) without an OTLP"
            + " endpoint, so it has no span exporter and neither spans nor exemplars reach the"
            + " backend; run process-aot with the endpoint set (e.g. "
            + ENDPOINT
            + " in application.yaml or a profile active during the build), and the endpoint given"
            + " at run time then applies");
  }
}
