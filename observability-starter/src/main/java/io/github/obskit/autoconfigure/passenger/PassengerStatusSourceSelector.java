package io.github.obskit.autoconfigure.passenger;

import io.github.obskit.passenger.status.PassengerStatusParser;
import io.github.obskit.passenger.status.source.CommandStatusSource;
import io.github.obskit.passenger.status.source.CoreApiStatusSource;
import io.github.obskit.passenger.status.source.FileStatusSource;
import io.github.obskit.passenger.status.source.PassengerInstance;
import io.github.obskit.passenger.status.source.PassengerInstanceRegistry;
import io.github.obskit.passenger.status.source.PassengerStatusSource;
import io.github.obskit.passenger.status.source.SimulatedStatusSource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Creates the configured Passenger status source and names it in one log line at startup.
 *
 * <p>Without {@code observability.passenger.source} the real Passenger is read: the core API socket
 * when an instance runs (or a socket setting is given), otherwise the {@code passenger-status}
 * command when it is on the {@code PATH}. With neither, the socket source is kept: it finds an
 * instance that starts later, and until then {@code passenger_up} is 0 and the log line says why.
 * The simulator serves data only when chosen, so simulated values never pass for live ones.
 */
final class PassengerStatusSourceSelector {

  private static final Logger logger = LoggerFactory.getLogger(PassengerStatusSourceSelector.class);

  private static final String SOURCE_PROPERTY = "observability.passenger.source";

  private final PassengerProperties properties;

  private final Function<String, String> environment;

  /**
   * @param properties the Passenger properties
   * @param environment looks up environment variables ({@code PATH}, {@code
   *     PASSENGER_INSTANCE_REGISTRY_DIR}, {@code TMPDIR}); Spring's environment, so that they can
   *     also be given as properties
   */
  PassengerStatusSourceSelector(
      PassengerProperties properties, Function<String, String> environment) {
    this.properties = properties;
    this.environment = environment;
  }

  PassengerStatusSource select() {
    PassengerProperties.Source chosen = this.properties.getSource();
    if (chosen == null) {
      return detect();
    }
    PassengerStatusSource source =
        switch (chosen) {
          case SIMULATOR -> simulator();
          case COMMAND -> command();
          case SOCKET -> socket();
          case FILE -> file();
        };
    logger.info(
        "Passenger metrics read from {} ({}={})",
        describe(source),
        SOURCE_PROPERTY,
        chosen.name().toLowerCase(Locale.ROOT));
    return source;
  }

  private PassengerStatusSource detect() {
    PassengerProperties.Socket socket = this.properties.getSocket();
    if (socket.getInstanceDir() != null || socket.getInstanceName() != null) {
      PassengerStatusSource source = socket();
      logger.info(
          "Passenger metrics read from {} ({} unset, socket settings given)",
          source,
          SOURCE_PROPERTY);
      return source;
    }
    PassengerInstanceRegistry registry = registry();
    List<PassengerInstance> instances = registry.instances();
    if (!instances.isEmpty()) {
      PassengerStatusSource source = socket();
      logger.info(
          "Passenger metrics read from {}, running: {} ({} unset: detected)",
          source,
          instances.stream()
              .map((instance) -> instance.name() + " in " + instance.directory())
              .collect(Collectors.joining(", ")),
          SOURCE_PROPERTY);
      return source;
    }
    List<String> commandLine = commandLine();
    Optional<Path> executable = findExecutable(commandLine.get(0));
    if (executable.isPresent()) {
      // The executable found is the one that runs, whatever the process's own PATH says.
      List<String> resolved = new ArrayList<>(commandLine);
      resolved.set(0, executable.get().toString());
      PassengerStatusSource source =
          new CommandStatusSource(resolved, this.properties.getTimeout());
      logger.info(
          "Passenger metrics read from {}, no running Passenger instance in {} ({} unset:"
              + " detected)",
          source,
          registry.directories(),
          SOURCE_PROPERTY);
      return source;
    }
    PassengerStatusSource source = socket();
    logger.warn(
        "No Passenger found: no running instance in {} and no `{}` on the PATH;"
            + " passenger_up is 0 until an instance starts. Passenger metrics read from {}"
            + " ({} unset; set it to choose a source)",
        registry.directories(),
        commandLine.get(0),
        source,
        SOURCE_PROPERTY);
    return source;
  }

  private PassengerStatusSource simulator() {
    return new SimulatedStatusSource(this.properties.getSimulator().getScenario());
  }

  private PassengerStatusSource command() {
    return new CommandStatusSource(commandLine(), this.properties.getTimeout());
  }

  private List<String> commandLine() {
    List<String> line = this.properties.getCommand().getLine();
    if (line == null || line.isEmpty() || line.get(0).isBlank()) {
      throw new InvalidConfigurationPropertyValueException(
          "observability.passenger.command.line", line, "A command is required.");
    }
    return line;
  }

  private PassengerStatusSource socket() {
    PassengerProperties.Socket socket = this.properties.getSocket();
    return (socket.getInstanceDir() != null)
        ? CoreApiStatusSource.forInstanceDirectory(
            socket.getInstanceDir(), this.properties.getTimeout())
        : new CoreApiStatusSource(
            registry(),
            socket.getInstanceName(),
            this.properties.getTimeout(),
            new PassengerStatusParser());
  }

  private PassengerStatusSource file() {
    Path path = this.properties.getFile().getPath();
    if (path == null) {
      throw new InvalidConfigurationPropertyValueException(
          "observability.passenger.file.path",
          null,
          "A path is required when " + SOURCE_PROPERTY + " is 'file'.");
    }
    return new FileStatusSource(path);
  }

  private PassengerInstanceRegistry registry() {
    return new PassengerInstanceRegistry(this.environment);
  }

  private String describe(PassengerStatusSource source) {
    return (source instanceof SimulatedStatusSource)
        ? "the simulator, scenario "
            + this.properties.getSimulator().getScenario().name().toLowerCase(Locale.ROOT)
            + " (simulated values, not a real Passenger)"
        : source.toString();
  }

  private Optional<Path> findExecutable(String command) {
    try {
      if (command.contains(File.separator)) {
        return Optional.of(Path.of(command)).filter(Files::isExecutable);
      }
      String path = this.environment.apply("PATH");
      if (path == null) {
        return Optional.empty();
      }
      return Stream.of(path.split(File.pathSeparator))
          .filter((directory) -> !directory.isBlank())
          .map((directory) -> Path.of(directory, command))
          .filter((candidate) -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
          .findFirst();
    } catch (InvalidPathException ex) {
      return Optional.empty();
    }
  }
}
