package io.github.obskit.passenger.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.obskit.passenger.cli.ContentNegotiation.Format;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of {@code serve}: the Prometheus client's scrape handler (formats, gzip, {@code
 * HEAD}, {@code name[]} filters) behind the JDK's HTTP server, with the status refreshed before
 * each scrape and the scraper's headers read with their weights.
 *
 * <p>The client's own {@code HTTPServer} is not used: it listens with a backlog of 3 and answers on
 * at most 10 threads, so a handful of clients that connect and then stall make scrapes wait.
 */
final class ScrapeServer implements AutoCloseable {

  /**
   * Threads answering requests. A stalled client holds one until {@link #MAX_REQUEST_TIME}; far
   * more than a Prometheus pair and a few people with curl need, so that dozens of stalled clients
   * still leave threads for scrapes. Idle threads end after a minute.
   */
  static final int THREADS = 64;

  /** Connections the kernel queues before the server accepts them (capped by somaxconn). */
  static final int BACKLOG = 128;

  /**
   * A scrape's request is a few hundred bytes in one packet. A client that has not sent it whole
   * after this long is broken, and would otherwise hold a thread forever.
   */
  static final Duration MAX_REQUEST_TIME = Duration.ofSeconds(5);

  // A response may take the status timeout plus this for rendering and sending; a client that reads
  // it slower (or not at all) would otherwise hold a thread forever.
  private static final Duration RESPONSE_MARGIN = Duration.ofSeconds(30);

  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  private final HttpServer server;

  private final ThreadPoolExecutor executor;

  private ScrapeServer(HttpServer server, ThreadPoolExecutor executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Listens on {@code address} and serves {@code registry} at {@code /metrics}.
   *
   * @param address where to listen
   * @param registry what to serve
   * @param beforeScrape runs before each scrape (reads the status; bounded by its timeout)
   * @param timeout the status timeout, which bounds how long a response may take
   * @return the started server
   * @throws IOException when it cannot listen
   */
  static ScrapeServer start(
      InetSocketAddress address,
      PrometheusRegistry registry,
      Runnable beforeScrape,
      Duration timeout)
      throws IOException {
    boundExchangeTimes(timeout);
    HttpServer server = HttpServer.create(address, BACKLOG);
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread =
                  new Thread(runnable, "passenger-metrics-http-" + THREAD_NUMBER.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
    PrometheusScrapeHandler scrapes =
        new PrometheusScrapeHandler(
            PrometheusProperties.get(), new FamilyNameFilteringRegistry(registry));
    server.createContext("/", exchange -> handle(exchange, scrapes, beforeScrape));
    server.setExecutor(executor);
    server.start();
    return new ScrapeServer(server, executor);
  }

  /** The address the server listens on, with the port chosen when 0 was asked for. */
  InetSocketAddress address() {
    return this.server.getAddress();
  }

  @Override
  public void close() {
    this.server.stop(0);
    this.executor.shutdownNow();
  }

  /**
   * Makes the JDK's HTTP server close connections whose request or response takes too long; it has
   * no such bound by default. It reads these properties once per JVM, when the first server is
   * created, in whole seconds; a user's own {@code -Dsun.net.httpserver.maxReqTime=…} or {@code
   * maxRspTime} wins.
   */
  private static void boundExchangeTimes(Duration timeout) {
    setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_TIME);
    // The response time starts once the request is read, so it includes the read of the status.
    setIfAbsent("sun.net.httpserver.maxRspTime", timeout.plus(RESPONSE_MARGIN));
  }

  private static void setIfAbsent(String property, Duration duration) {
    if (System.getProperty(property) == null) {
      long secondsRoundedUp = (duration.toMillis() + 999) / 1000;
      System.setProperty(property, Long.toString(secondsRoundedUp));
    }
  }

  private static void handle(
      HttpExchange exchange, PrometheusScrapeHandler scrapes, Runnable beforeScrape)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "Method not allowed\n");
      } else if (path.equals("/metrics")) {
        Optional<Format> format =
            ContentNegotiation.format(exchange.getRequestHeaders().getFirst("Accept"));
        if (format.isEmpty()) {
          respond(
              exchange,
              406,
              "text/plain; charset=utf-8",
              "Not acceptable; formats: text/plain, application/openmetrics-text\n");
          return;
        }
        beforeScrape.run();
        exchange.getResponseHeaders().set("Vary", "Accept-Encoding");
        scrapes.handleRequest(new NegotiatedExchange(exchange, format.get()));
      } else if (path.equals("/")) {
        respond(
            exchange,
            200,
            "text/html; charset=utf-8",
            "<html><head><title>Passenger exporter</title></head><body>"
                + "<h1>Passenger exporter</h1><p><a href=\"/metrics\">Metrics</a></p></body></html>\n");
      } else {
        respond(exchange, 404, "text/plain; charset=utf-8", "Not found; try /metrics\n");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream stream = exchange.getResponseBody()) {
        stream.write(bytes);
      }
    }
  }

  /**
   * The exchange as the client's handler sees it: the {@code Accept} header replaced by the format
   * chosen here, and {@code Accept-Encoding} by {@code gzip} or nothing.
   */
  private static final class NegotiatedExchange implements PrometheusHttpExchange {

    private final HttpExchangeAdapter delegate;

    private final String accept;

    private final String acceptEncoding;

    private final boolean head;

    NegotiatedExchange(HttpExchange exchange, Format format) {
      this.delegate = new HttpExchangeAdapter(exchange);
      this.head = exchange.getRequestMethod().equals("HEAD");
      this.accept = format.acceptHeader();
      this.acceptEncoding =
          ContentNegotiation.acceptsGzip(exchange.getRequestHeaders().get("Accept-Encoding"))
              ? "gzip"
              : null;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
      PrometheusHttpRequest request = this.delegate.getRequest();
      return new PrometheusHttpRequest() {

        @Override
        public String getQueryString() {
          return request.getQueryString();
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
          if (name.equalsIgnoreCase("Accept")) {
            return Collections.enumeration(List.of(NegotiatedExchange.this.accept));
          }
          if (name.equalsIgnoreCase("Accept-Encoding")) {
            String encoding = NegotiatedExchange.this.acceptEncoding;
            return Collections.enumeration((encoding != null) ? List.of(encoding) : List.of());
          }
          return request.getHeaders(name);
        }

        @Override
        public String getMethod() {
          return request.getMethod();
        }

        @Override
        public String getRequestPath() {
          return request.getRequestPath();
        }
      };
    }

    @Override
    public PrometheusHttpResponse getResponse() {
      PrometheusHttpResponse response = this.delegate.getResponse();
      if (!this.head) {
        return response;
      }
      // The client's handler writes a HEAD answer as it writes a GET answer; with gzip it opens a
      // GZIPOutputStream whose header bytes overflow the empty body and log a SEVERE stack trace.
      // A HEAD answer has no body: send the headers only, and let whatever is written vanish.
      return new PrometheusHttpResponse() {

        @Override
        public void setHeader(String name, String value) {
          response.setHeader(name, value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength)
            throws IOException {
          response.sendHeadersAndGetBody(statusCode, -1).close();
          return OutputStream.nullOutputStream();
        }
      };
    }

    @Override
    public void handleException(IOException ex) throws IOException {
      this.delegate.handleException(ex);
    }

    @Override
    public void handleException(RuntimeException ex) {
      this.delegate.handleException(ex);
    }

    @Override
    public void close() {
      this.delegate.close();
    }
  }
}
