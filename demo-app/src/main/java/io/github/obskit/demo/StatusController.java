package io.github.obskit.demo;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's test endpoint: answers any status code, optionally after a delay, so that request
 * metrics, logs, dashboards and alerts have something to show.
 */
@Tag(name = "demo", description = "The seed's test endpoints")
@RestController
class StatusController {

  private static final String STATUS_CODE = "status_code";

  private static final String SECONDS_SLEEP = "seconds_sleep";

  private static final Logger logger = LoggerFactory.getLogger(StatusController.class);

  private static final double NANOS_PER_SECOND = 1e9;

  private final double maxSleepSeconds;

  private final String sleepRequirement;

  private final CountDownLatch shuttingDown = new CountDownLatch(1);

  private final ApplicationContext applicationContext;

  private final ObservationRegistry observationRegistry;

  StatusController(
      @Value("${demo.max-sleep:60s}") Duration maxSleep,
      ApplicationContext applicationContext,
      ObservationRegistry observationRegistry) {
    this.applicationContext = applicationContext;
    this.observationRegistry = observationRegistry;
    this.maxSleepSeconds = maxSleep.toNanos() / NANOS_PER_SECOND;
    this.sleepRequirement =
        "must be a number of seconds between 0 and "
            + BigDecimal.valueOf(this.maxSleepSeconds).stripTrailingZeros().toPlainString();
  }

  @GetMapping(path = "/status/{status_code}")
  @Operation(
      summary = "Answer with the given status code",
      description =
          "200 answers `{\"data\": \"Hello\"}`; any other code answers an "
              + "`application/problem+json` body whose `detail` is `an error occurred`. "
              + "Bad input answers 400 with a problem naming the parameter.")
  @ApiResponse(
      responseCode = "200",
      description = "The greeting",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              examples = @ExampleObject("{\"data\": \"Hello\"}")))
  @ApiResponse(
      responseCode = "400",
      description = "Invalid status code or sleep",
      content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
  @ApiResponse(
      responseCode = "default",
      description = "The requested status with a problem body",
      content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
  ResponseEntity<Object> status(
      @Parameter(description = "Status code to answer with, 200 to 599")
          @PathVariable(name = STATUS_CODE)
          @Min(200)
          @Max(599)
          int statusCode,
      @Parameter(
              description =
                  "Seconds to wait before answering, decimals allowed; at most `demo.max-sleep`"
                      + " (60 s by default). Given more than once, the first value counts.",
              // The range is checked in validateSleep, not by Bean Validation: one check, one
              // message for negative, NaN and too large values alike.
              schema = @Schema(type = "number", format = "double", minimum = "0"))
          @RequestParam(name = SECONDS_SLEEP, defaultValue = "0")
          double secondsSleep) {
    validateSleep(secondsSleep);
    // -0 is zero; adding +0.0 turns -0.0 into 0.0, so the log does not show "-0.0 s".
    double seconds = secondsSleep + 0.0;
    if (seconds > 0) {
      // A child span of the request's, so that a trace shows where a slow request spent its time.
      Observation.createNotStarted("demo.sleep", this.observationRegistry)
          .contextualName("sleep")
          .highCardinalityKeyValue(SECONDS_SLEEP, String.valueOf(seconds))
          .observe(() -> sleep(seconds));
    }
    logger.info("Answering status {} after {} s", statusCode, seconds);
    if (statusCode == HttpStatus.OK.value()) {
      return ResponseEntity.ok(Map.of("data", "Hello"));
    }
    if (statusCode >= 500) {
      logger.error("Simulated server error, status {}", statusCode);
    }
    if (forbidsContent(statusCode)) {
      // A problem body would be dropped by the server, leaving a problem+json Content-Type on an
      // empty response.
      return ResponseEntity.status(statusCode).build();
    }
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(statusCode), "an error occurred");
    return ResponseEntity.of(problem).build();
  }

  private static boolean forbidsContent(int statusCode) {
    return statusCode == HttpStatus.NO_CONTENT.value()
        || statusCode == HttpStatus.RESET_CONTENT.value()
        || statusCode == HttpStatus.NOT_MODIFIED.value();
  }

  private void validateSleep(double secondsSleep) {
    // A negated range, so that NaN (for which every comparison is false) is rejected too.
    if (!(secondsSleep >= 0 && secondsSleep <= maxSleepSeconds)) {
      throw new ErrorResponseException(
          HttpStatus.BAD_REQUEST,
          ProblemDetailsAdvice.invalidParameter(SECONDS_SLEEP, secondsSleep, sleepRequirement),
          null);
    }
  }

  /**
   * Ends every sleep, current and future, with a 503: a sleep may be longer than Boot's graceful
   * shutdown waits (30 s) or than a container's stop timeout, and would otherwise be cut with no
   * answer and no access-log line. The event comes before the server stops taking requests.
   */
  @EventListener
  void endSleepsOnShutdown(ContextClosedEvent event) {
    // A child context (Actuator on a port of its own) publishes its closing here too.
    if (event.getApplicationContext() == this.applicationContext) {
      this.shuttingDown.countDown();
    }
  }

  // A blocking wait is deliberate: with spring.threads.virtual.enabled each request runs on a
  // virtual thread, and a blocked virtual thread unmounts from its carrier, so a sleeping request
  // holds no platform thread and thousands can wait at once. On Java 17 the property is ignored and
  // each sleep occupies one of Tomcat's 200 worker threads, as in any blocking servlet app.
  private void sleep(double seconds) {
    long nanos = (long) (seconds * NANOS_PER_SECOND);
    if (nanos <= 0) {
      return;
    }
    long start = System.nanoTime();
    try {
      if (this.shuttingDown.await(nanos, TimeUnit.NANOSECONDS)) {
        double slept = (System.nanoTime() - start) / NANOS_PER_SECOND;
        logger.warn(
            "Sleep of {} s cut after {} s: the application is shutting down; answering 503",
            seconds,
            String.format(Locale.ROOT, "%.3f", slept));
        throw new ErrorResponseException(
            HttpStatus.SERVICE_UNAVAILABLE,
            ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "the service is shutting down"),
            null);
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, ex);
    }
  }
}
