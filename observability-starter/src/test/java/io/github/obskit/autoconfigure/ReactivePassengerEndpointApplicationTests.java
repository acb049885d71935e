package io.github.obskit.autoconfigure;

import io.github.obskit.autoconfigure.reactiveapp.ReactiveTestApplication;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

/** The Passenger metrics path of a WebFlux application answers as a servlet application's does. */
@DirtiesContext
@SpringBootTest(
    classes = ReactiveTestApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "spring.application.name=obskit-passenger-test",
      "observability.passenger.enabled=true",
      "observability.passenger.source=simulator",
      "observability.passenger.simulator.scenario=overloaded"
    })
@AutoConfigureMetrics
class ReactivePassengerEndpointApplicationTests extends PassengerEndpointApplicationTests {}
