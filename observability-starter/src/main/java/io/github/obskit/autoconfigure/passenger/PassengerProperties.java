package io.github.obskit.autoconfigure.passenger;

import io.github.obskit.passenger.metrics.PassengerMetrics;
import io.github.obskit.passenger.status.source.CommandStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Passenger metrics: where the status comes from and where the meters are served. */
@ConfigurationProperties("observability.passenger")
public class PassengerProperties {

  /** Whether to expose Phusion Passenger's status as metrics. */
  private boolean enabled;

  /**
   * Where the Passenger status is read from. When unset, the core API socket of a running instance,
   * otherwise the passenger-status command; the simulator only when chosen.
   */
  private Source source;

  /**
   * Time a scrape waits for the status at most; also the time a command or socket read may take.
   */
  private Duration timeout = PassengerMetrics.DEFAULT_TIMEOUT;

  /** Time one read of the status is shared by all meters and scrapes. */
  private Duration cacheTtl = PassengerMetrics.DEFAULT_CACHE_TTL;

  /** Whether to expose the per-process series (passenger_process_*). */
  private boolean perProcess = true;

  private final Simulator simulator = new Simulator();

  private final Command command = new Command();

  private final Socket socket = new Socket();

  private final File file = new File();

  private final Endpoint endpoint = new Endpoint();

  public boolean isEnabled() {
    return this.enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Source getSource() {
    return this.source;
  }

  public void setSource(Source source) {
    this.source = source;
  }

  public Duration getTimeout() {
    return this.timeout;
  }

  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  public Duration getCacheTtl() {
    return this.cacheTtl;
  }

  public void setCacheTtl(Duration cacheTtl) {
    this.cacheTtl = cacheTtl;
  }

  public boolean isPerProcess() {
    return this.perProcess;
  }

  public void setPerProcess(boolean perProcess) {
    this.perProcess = perProcess;
  }

  public Simulator getSimulator() {
    return this.simulator;
  }

  public Command getCommand() {
    return this.command;
  }

  public Socket getSocket() {
    return this.socket;
  }

  public File getFile() {
    return this.file;
  }

  public Endpoint getEndpoint() {
    return this.endpoint;
  }

  /** The sources of the Passenger status. */
  public enum Source {
    /** A simulated instance, for demos and dashboards without Passenger. */
    SIMULATOR,
    /** The output of 'passenger-status --show=xml'. */
    COMMAND,
    /** Passenger's core API on its UNIX socket, without starting Ruby. */
    SOCKET,
    /** A file holding the XML status. */
    FILE
  }

  /** The simulated instance. */
  public static class Simulator {

    /** Load of the simulated instance. */
    private Scenario scenario = Scenario.NORMAL;

    public Scenario getScenario() {
      return this.scenario;
    }

    public void setScenario(Scenario scenario) {
      this.scenario = scenario;
    }
  }

  /** The status command. */
  public static class Command {

    /** Command line printing the XML status; add the instance name when several instances run. */
    private List<String> line = new ArrayList<>(CommandStatusSource.DEFAULT_COMMAND);

    public List<String> getLine() {
      return this.line;
    }

    public void setLine(List<String> line) {
      this.line = line;
    }
  }

  /** The core API socket. */
  public static class Socket {

    /** Instance directory (passenger.XXXXXXX) to query; found in the instance registry if unset. */
    private Path instanceDir;

    /** Name (or unique prefix) of the instance to query when several run. */
    private String instanceName;

    public Path getInstanceDir() {
      return this.instanceDir;
    }

    public void setInstanceDir(Path instanceDir) {
      this.instanceDir = instanceDir;
    }

    public String getInstanceName() {
      return this.instanceName;
    }

    public void setInstanceName(String instanceName) {
      this.instanceName = instanceName;
    }
  }

  /** The status file. */
  public static class File {

    /** File holding the XML status, required with the 'file' source. */
    private Path path;

    public Path getPath() {
      return this.path;
    }

    public void setPath(Path path) {
      this.path = path;
    }
  }

  /** The endpoint serving only the Passenger metrics. */
  public static class Endpoint {

    /**
     * Whether to serve the Passenger metrics on their own path (and not in the application's
     * registry), to be scraped as a job of their own. With Actuator on a port of its own
     * (management.server.port), only when this is set explicitly.
     */
    private boolean enabled = true;

    /** Path serving only the Passenger metrics. */
    private String path = "/passenger_metrics";

    public boolean isEnabled() {
      return this.enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return this.path;
    }

    public void setPath(String path) {
      this.path = path;
    }
  }
}
