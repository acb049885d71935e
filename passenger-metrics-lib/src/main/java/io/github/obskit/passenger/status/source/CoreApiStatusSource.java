package io.github.obskit.passenger.status.source;

import io.github.obskit.passenger.status.PassengerStatus;
import io.github.obskit.passenger.status.PassengerStatusException;
import io.github.obskit.passenger.status.PassengerStatusException.Reason;
import io.github.obskit.passenger.status.PassengerStatusParser;
import io.github.obskit.passenger.status.UntrustedText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the status straight from Passenger's core API: {@code GET /pool.xml} over the UNIX domain
 * socket {@code <instance dir>/agents.s/core_api}, authenticated as the read-only user {@code
 * ro_admin} with the password in {@code <instance dir>/read_only_admin_password.txt}. This is what
 * {@code passenger-status --show=xml} does, without starting Ruby on every read.
 *
 * <p>The instance is looked up on every read, so a restarted Passenger (new instance directory) is
 * followed. The process needs read access to the password file: run it as the Passenger user or
 * root, as {@code passenger-status} requires.
 */
public final class CoreApiStatusSource implements PassengerStatusSource {

  /** The default timeout for connecting and reading the answer. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  static final String USER = "ro_admin";

  // Passenger writes 24 random characters; a larger file is not its password.
  static final int MAX_PASSWORD_BYTES = 1024;

  private final InstanceLocator locator;

  // Named by toString, so that a log line about a failed read says which instance it was.
  private final String instance;

  private final Duration timeout;

  private final PassengerStatusParser parser;

  private final InstanceTrust trust;

  /** Reads from the only running instance, found from the environment, with the default timeout. */
  public CoreApiStatusSource() {
    this(
        PassengerInstanceRegistry.fromEnvironment(),
        null,
        DEFAULT_TIMEOUT,
        new PassengerStatusParser());
  }

  /**
   * Reads from the instance with the given name, found from the environment.
   *
   * @param instanceName the instance name (or a unique prefix), or {@code null} for the only
   *     running instance
   * @param timeout the time allowed to connect and read the answer
   */
  public CoreApiStatusSource(String instanceName, Duration timeout) {
    this(
        PassengerInstanceRegistry.fromEnvironment(),
        instanceName,
        timeout,
        new PassengerStatusParser());
  }

  /**
   * Reads from an instance found in a registry.
   *
   * @param registry where instances are looked up
   * @param instanceName the instance name (or a unique prefix), or {@code null} for the only
   *     running instance
   * @param timeout the time allowed to connect and read the answer
   * @param parser the parser, whose size limit also caps the answer
   */
  public CoreApiStatusSource(
      PassengerInstanceRegistry registry,
      String instanceName,
      Duration timeout,
      PassengerStatusParser parser) {
    this(
        locator(registry, instanceName),
        (instanceName != null) ? "instance " + instanceName : "the discovered instance",
        timeout,
        parser,
        registry.trust());
  }

  private CoreApiStatusSource(
      InstanceLocator locator,
      String instance,
      Duration timeout,
      PassengerStatusParser parser,
      InstanceTrust trust) {
    this.locator = locator;
    this.instance = instance;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    this.parser = Objects.requireNonNull(parser, "parser");
    this.trust = trust;
  }

  /**
   * Reads from a known instance directory, without discovery.
   *
   * @param instanceDirectory the directory {@code passenger.XXXXXXX} of the instance
   * @param timeout the time allowed to connect and read the answer
   * @return the source
   */
  public static CoreApiStatusSource forInstanceDirectory(Path instanceDirectory, Duration timeout) {
    return forInstanceDirectory(instanceDirectory, timeout, InstanceTrust.SYSTEM);
  }

  static CoreApiStatusSource forInstanceDirectory(
      Path instanceDirectory, Duration timeout, InstanceTrust trust) {
    Objects.requireNonNull(instanceDirectory, "instanceDirectory");
    return new CoreApiStatusSource(
        () -> instanceDirectory,
        instanceDirectory.toString(),
        timeout,
        new PassengerStatusParser(),
        trust);
  }

  private static InstanceLocator locator(PassengerInstanceRegistry registry, String instanceName) {
    Objects.requireNonNull(registry, "registry");
    return () -> registry.select(instanceName).directory();
  }

  @Override
  public PassengerStatus read() throws PassengerStatusException {
    Path directory = locator.locate();
    String distrust = this.trust.distrust(directory);
    if (distrust != null) {
      throw new PassengerStatusException(
          Reason.NO_INSTANCE,
          "refusing the Passenger instance directory "
              + UntrustedText.quote(directory.toString())
              + ": "
              + distrust);
    }
    Path socket = directory.resolve("agents.s").resolve("core_api");
    if (!Files.exists(socket)) {
      throw new PassengerStatusException(
          Reason.NO_INSTANCE,
          "no Passenger core API socket at " + socket + "; is Passenger running?");
    }
    Path passwordFile = directory.resolve("read_only_admin_password.txt");
    String password = readPassword(passwordFile, this.trust);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/xml");
    if (password != null) {
      String credentials = USER + ":" + password;
      headers.put(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    UnixSocketHttpClient.Response response;
    try {
      response = UnixSocketHttpClient.get(socket, "/pool.xml", headers, timeout, parser.maxBytes());
    } catch (IOException ex) {
      throw new PassengerStatusException(
          Reason.IO, "cannot query the Passenger core API at " + socket + ": " + ex, ex);
    }
    if (response.status() == 200) {
      return parser.parse(new ByteArrayInputStream(response.body()));
    }
    if (response.status() == 401) {
      // To a caller without admin rights, an instance serving no application answers 401 with
      // "pool-empty: true"; passenger-status reports that as "not serving any applications".
      if ("true".equalsIgnoreCase(response.header("pool-empty"))) {
        return PassengerStatus.empty(passengerVersion(directory, this.trust));
      }
      throw new PassengerStatusException(
          Reason.UNAUTHORIZED,
          password == null
              ? "the Passenger core API at "
                  + socket
                  + " requires the read-only password, and "
                  + passwordFile
                  + " is not readable by this process; run it as the Passenger user or root"
              : "the Passenger core API at "
                  + socket
                  + " refused the read-only credentials from "
                  + passwordFile);
    }
    String body = new String(response.body(), StandardCharsets.UTF_8).strip();
    throw new PassengerStatusException(
        Reason.IO,
        "the Passenger core API at "
            + socket
            + " answered HTTP "
            + response.status()
            + (body.isEmpty()
                ? ""
                : ": " + UntrustedText.quote(body.substring(0, Math.min(body.length(), 300)))));
  }

  /**
   * The version the instance's watchdog wrote to {@code properties.json}, so that an idle instance
   * keeps the {@code version} it has while serving; {@link PassengerStatus#UNKNOWN_VERSION} when
   * the file cannot be read or does not say. Idle is no failure, so neither is a missing version.
   */
  private static String passengerVersion(Path directory, InstanceTrust trust) {
    try {
      Object version =
          InstanceProperties.parse(
                  trust.read(directory.resolve("properties.json"), InstanceProperties.MAX_BYTES))
              .get("passenger_version");
      return (version instanceof String named && !named.isBlank())
          ? named
          : PassengerStatus.UNKNOWN_VERSION;
    } catch (IOException | IllegalArgumentException ex) {
      return PassengerStatus.UNKNOWN_VERSION;
    }
  }

  /**
   * The password, or {@code null} when the file does not exist or this process may not read it
   * (then no credentials are sent). A file that is there but not trusted is an error: sending
   * another file's content as a password is what a hostile instance directory is after.
   */
  private static String readPassword(Path passwordFile, InstanceTrust trust)
      throws PassengerStatusException {
    try {
      return trust.read(passwordFile, MAX_PASSWORD_BYTES).strip();
    } catch (AccessDeniedException | NoSuchFileException ex) {
      return null;
    } catch (IOException ex) {
      throw new PassengerStatusException(
          Reason.IO,
          "cannot read the Passenger password file "
              + UntrustedText.quote(passwordFile.toString())
              + ": "
              + UntrustedText.quote(ex.getMessage()),
          ex);
    }
  }

  @Override
  public String toString() {
    return "Passenger core API of " + instance + " (" + Durations.describe(timeout) + " timeout)";
  }

  /** Finds the instance directory to query on each read. */
  @FunctionalInterface
  private interface InstanceLocator {
    Path locate() throws PassengerStatusException;
  }
}
