package io.github.obskit.autoconfigure.twoservices;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/** The calling service's endpoint: it asks the called service through Boot's builder. */
@RestController
class CallingController {

  private final RestClient backend;

  CallingController(RestClient.Builder builder, @Value("${backend.url}") String backendUrl) {
    this.backend = builder.baseUrl(backendUrl).build();
  }

  @GetMapping("/checkout/{id}")
  String checkout(@PathVariable String id) {
    return this.backend.get().uri("/orders/{id}", id).retrieve().body(String.class);
  }
}
