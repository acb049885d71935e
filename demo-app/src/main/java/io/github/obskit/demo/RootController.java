package io.github.obskit.demo;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The seed's liveness-style root endpoint, kept because load scripts and users call it. */
@Tag(name = "demo", description = "The seed's test endpoints")
@RestController
class RootController {

  @GetMapping(path = "/", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(summary = "Plain-text greeting", description = "Answers `root`; the cheapest request.")
  String root() {
    return "root";
  }
}
