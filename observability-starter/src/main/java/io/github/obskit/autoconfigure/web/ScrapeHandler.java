package io.github.obskit.autoconfigure.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;

/** Answers the scrapes of one path: the status, content type and body of each response. */
@FunctionalInterface
public interface ScrapeHandler {

  /**
   * Answers one scrape.
   *
   * @param request the scrape request
   * @return the response, with its content type set
   */
  ResponseEntity<?> scrape(HttpServletRequest request);
}
