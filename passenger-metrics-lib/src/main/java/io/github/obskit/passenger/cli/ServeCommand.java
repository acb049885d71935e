package io.github.obskit.passenger.cli;

import io.github.obskit.passenger.metrics.PassengerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** {@code serve}: answers {@code GET /metrics}, reading the status before each scrape. */
@Command(name = "serve", description = "Serve the metrics at http://BIND:PORT/metrics.")
final class ServeCommand extends StatusCommand {

  @Option(
      names = "--port",
      paramLabel = "PORT",
      converter = PortConverter.class,
      description =
          "Port to listen on (default 9149, the Go passenger_exporter's; 0 picks a free one).")
  int port = 9149;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      converter = AddressConverter.class,
      description = "Address to listen on (default 0.0.0.0).")
  InetAddress bind;

  @Option(
      names = "--cache-ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long one read is shared by scrapes (default 5s; at most 1h).")
  Duration cacheTtl = PassengerMetrics.DEFAULT_CACHE_TTL;

  @Option(names = "--no-per-process", description = "Leave out the passenger_process_* series.")
  boolean noPerProcess;

  ServeCommand(PassengerMetricsCli cli) {
    super(cli);
  }

  @Override
  int run() throws IOException {
    if (this.source.stdin()) {
      throw new ParameterException(
          this.spec.commandLine(), "serve reads the status on every scrape; --stdin cannot");
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (PassengerMetrics metrics = metrics(!this.noPerProcess, this.cacheTtl);
        ScrapeServer server = listen(metrics, registry)) {
      InetSocketAddress address = server.address();
      this.cli.out.printf(
          "passenger-metrics: serving http://%s:%d/metrics (source: %s)%n",
          address.getHostString(), address.getPort(), this.source.description());
      this.cli.out.flush();
      this.cli.awaitStop();
      return PassengerMetricsCli.OK;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return PassengerMetricsCli.OK;
    }
  }

  private ScrapeServer listen(PassengerMetrics metrics, PrometheusMeterRegistry registry)
      throws IOException {
    metrics.bindTo(registry);
    InetSocketAddress address =
        (this.bind != null)
            ? new InetSocketAddress(this.bind, this.port)
            : new InetSocketAddress(this.port);
    try {
      return ScrapeServer.start(
          address, registry.getPrometheusRegistry(), metrics::refresh, this.timeout);
    } catch (IOException ex) {
      String host = (this.bind != null) ? address.getHostString() : "0.0.0.0";
      throw new IOException(
          "cannot listen on "
              + (host.contains(":") ? "[" + host + "]" : host)
              + ":"
              + address.getPort()
              + ": "
              + PassengerMetricsCli.describe(ex),
          ex);
    }
  }

  /** Reads a TCP port, 0 for any free one. */
  static final class PortConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
      try {
        int port = Integer.parseInt(value);
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException ex) {
        // reported below
      }
      throw new TypeConversionException("expects a number from 0 to 65535, not '" + value + "'");
    }
  }

  /** Reads a host name or an IP address. */
  static final class AddressConverter implements ITypeConverter<InetAddress> {

    @Override
    public InetAddress convert(String value) {
      try {
        return InetAddress.getByName(value);
      } catch (UnknownHostException ex) {
        throw new TypeConversionException("unknown address '" + value + "'");
      }
    }
  }
}
