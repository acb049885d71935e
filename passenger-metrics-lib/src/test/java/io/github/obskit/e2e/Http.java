package io.github.obskit.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * HTTP calls of the end-to-end tests, each bounded: a server that accepts a connection and never
 * answers fails the test instead of hanging the build.
 */
public final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Waits.HTTP).build();

  private static final Duration TIMEOUT = Waits.HTTP;

  private Http() {}

  /**
   * GETs a URL.
   *
   * @param url the URL
   * @return the response, whatever its status
   */
  public static HttpResponse<String> get(URI url) {
    return send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build());
  }

  /**
   * GETs a URL with an {@code Accept} header.
   *
   * @param url the URL
   * @param accept the header's value
   * @return the response, whatever its status
   */
  public static HttpResponse<String> get(URI url, String accept) {
    return send(
        HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Accept", accept).GET().build());
  }

  /**
   * POSTs a JSON document.
   *
   * @param url the URL
   * @param json the document
   * @return the response, whatever its status
   */
  public static HttpResponse<String> postJson(URI url, String json) {
    return send(
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /**
   * Whether a URL answers 2xx now; a refused connection is a no.
   *
   * @param url the URL
   * @return whether it answered 2xx
   */
  public static boolean isOk(URI url) {
    try {
      int status = get(url).statusCode();
      return status >= 200 && status < 300;
    } catch (UncheckedIOException ex) {
      return false;
    }
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException ex) {
      throw new UncheckedIOException(request.method() + " " + request.uri(), ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(ex);
    }
  }
}
