package io.github.obskit.passenger.status.source;

import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.github.obskit.passenger.status.UntrustedText;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds running Passenger instances the way {@code passenger-status} does.
 *
 * <p>The registry directories are {@code $PASSENGER_INSTANCE_REGISTRY_DIR} when set, otherwise
 * {@code $TMPDIR}, {@code /tmp} and {@code /var/run/passenger-instreg}. An instance is a {@code
 * passenger.*} subdirectory whose creation was finalized (file {@code creation_finalized}), whose
 * {@code properties.json} names it and its watchdog, and which is alive. Passenger checks liveness
 * with an {@code flock} on the {@code lock} file, which Java cannot test; here an instance is alive
 * when its watchdog process exists or, for a watchdog in another PID namespace (a sidecar container
 * sharing the registry directory), when its core API socket accepts a connection. Directories of
 * crashed instances are skipped, never deleted.
 *
 * <p>Registry directories such as {@code /tmp} are shared, so an instance directory is used only
 * when it can be trusted (see {@link InstanceTrust}: no symbolic links, not writable by group or
 * others, owned by root, this process's user or the owner of a private registry directory); refused
 * directories are named when no instance is found.
 */
public final class PassengerInstanceRegistry {

  /** The environment variable that overrides the registry directories. */
  public static final String REGISTRY_DIR_VARIABLE = "PASSENGER_INSTANCE_REGISTRY_DIR";

  private static final String RPM_REGISTRY_DIR = "/var/run/passenger-instreg";

  private final Function<String, String> environment;

  private final Predicate<PassengerInstance> alive;

  private final InstanceTrust trust;

  /** A registry configured from this process's environment variables. */
  public static PassengerInstanceRegistry fromEnvironment() {
    return new PassengerInstanceRegistry(System::getenv);
  }

  /**
   * A registry configured from the given environment lookup, e.g. {@code Map.of(...)::get}.
   *
   * @param environment returns an environment variable's value, or {@code null} when it is unset
   */
  public PassengerInstanceRegistry(Function<String, String> environment) {
    this(environment, PassengerInstanceRegistry::isAlive, InstanceTrust.SYSTEM);
  }

  PassengerInstanceRegistry(
      Function<String, String> environment,
      Predicate<PassengerInstance> alive,
      InstanceTrust trust) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.alive = Objects.requireNonNull(alive, "alive");
    this.trust = Objects.requireNonNull(trust, "trust");
  }

  InstanceTrust trust() {
    return this.trust;
  }

  /** The registry directories searched, in order, without duplicates. */
  public List<Path> directories() {
    String registry = variable(REGISTRY_DIR_VARIABLE);
    if (registry != null) {
      return List.of(Path.of(registry));
    }
    Set<Path> directories = new LinkedHashSet<>();
    String tmpdir = variable("TMPDIR");
    if (tmpdir != null) {
      directories.add(Path.of(tmpdir).normalize());
    }
    directories.add(Path.of("/tmp"));
    directories.add(Path.of(RPM_REGISTRY_DIR));
    return List.copyOf(directories);
  }

  /** The live instances in all registry directories, sorted by name. */
  public List<PassengerInstance> instances() {
    return instances(new ArrayList<>());
  }

  private List<PassengerInstance> instances(List<String> refused) {
    List<PassengerInstance> instances = new ArrayList<>();
    for (Path registry : directories()) {
      if (!Files.isDirectory(registry)) {
        continue;
      }
      try (DirectoryStream<Path> candidates = Files.newDirectoryStream(registry, "passenger.*")) {
        for (Path candidate : candidates) {
          PassengerInstance instance = readInstance(candidate, refused);
          if (instance != null && alive.test(instance)) {
            instances.add(instance);
          }
        }
      } catch (IOException ex) {
        // An unreadable registry directory (permissions) holds no instance we could query.
      }
    }
    instances.sort(Comparator.comparing(PassengerInstance::name));
    return List.copyOf(instances);
  }

  /**
   * Selects one instance: the one with the given name, else the only one whose name starts with it;
   * without a name, the only running instance.
   *
   * @param name the instance name or a prefix of it, or {@code null} for the only instance
   * @return the instance
   * @throws PassengerStatusException with {@link Reason#NO_INSTANCE} or {@link
   *     Reason#MULTIPLE_INSTANCES}
   */
  public PassengerInstance select(String name) throws PassengerStatusException {
    List<String> refused = new ArrayList<>();
    List<PassengerInstance> instances = instances(refused);
    if (instances.isEmpty()) {
      throw new PassengerStatusException(
          Reason.NO_INSTANCE,
          "no running Passenger instance found in "
              + directories()
              + "; if Passenger uses a custom instance registry directory"
              + " (passenger_instance_registry_dir, PassengerInstanceRegistryDir), set "
              + REGISTRY_DIR_VARIABLE
              + " to it"
              + (refused.isEmpty() ? "" : "; refused: " + String.join(", ", refused)));
    }
    if (name == null || name.isBlank()) {
      if (instances.size() == 1) {
        return instances.get(0);
      }
      throw new PassengerStatusException(
          Reason.MULTIPLE_INSTANCES,
          "several Passenger instances are running ("
              + names(instances)
              + "); choose one by configuring its name");
    }
    for (PassengerInstance instance : instances) {
      if (instance.name().equals(name)) {
        return instance;
      }
    }
    List<PassengerInstance> prefixed =
        instances.stream().filter(instance -> instance.name().startsWith(name)).toList();
    if (prefixed.size() == 1) {
      return prefixed.get(0);
    }
    if (prefixed.isEmpty()) {
      throw new PassengerStatusException(
          Reason.NO_INSTANCE,
          "no running Passenger instance is named '"
              + UntrustedText.quote(name)
              + "'; running: "
              + names(instances));
    }
    throw new PassengerStatusException(
        Reason.MULTIPLE_INSTANCES,
        "several Passenger instances have names starting with '"
            + name
            + "' ("
            + names(prefixed)
            + "); give the full name");
  }

  private String variable(String name) {
    String value = environment.apply(name);
    return value == null || value.isBlank() ? null : value;
  }

  private PassengerInstance readInstance(Path directory, List<String> refused) {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
        && !Files.isSymbolicLink(directory)) {
      return null;
    }
    String distrust = this.trust.distrust(directory);
    if (distrust != null) {
      refused.add(UntrustedText.quote(directory.toString()) + " (" + distrust + ")");
      return null;
    }
    if (!Files.isRegularFile(directory.resolve("creation_finalized"), LinkOption.NOFOLLOW_LINKS)
        || !Files.isDirectory(directory.resolve("agents.s"), LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      Map<String, Object> properties =
          InstanceProperties.parse(
              this.trust.read(directory.resolve("properties.json"), InstanceProperties.MAX_BYTES));
      if (properties.get("name") instanceof String name
          && !name.isEmpty()
          && properties.get("watchdog_pid") instanceof Long pid) {
        return new PassengerInstance(name, directory, pid);
      }
      return null;
    } catch (IOException | IllegalArgumentException ex) {
      // Being created, being removed, or corrupted: not an instance we can query.
      return null;
    }
  }

  private static boolean isAlive(PassengerInstance instance) {
    boolean watchdogRunning =
        ProcessHandle.of(instance.watchdogPid()).map(ProcessHandle::isAlive).orElse(false);
    return watchdogRunning || acceptsConnections(instance.coreApiSocket());
  }

  private static boolean acceptsConnections(Path socket) {
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      // Non-blocking, so a wedged listener with a full backlog cannot hang discovery: the
      // connection is either made or queued (someone listens), or refused (a stale socket file).
      channel.configureBlocking(false);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException | InvalidPathException ex) {
      return false;
    }
  }

  private static String names(List<PassengerInstance> instances) {
    return instances.stream()
        .map(
            instance ->
                UntrustedText.quote(instance.name())
                    + " in "
                    + UntrustedText.quote(instance.directory().toString()))
        .collect(Collectors.joining(", "));
  }
}
