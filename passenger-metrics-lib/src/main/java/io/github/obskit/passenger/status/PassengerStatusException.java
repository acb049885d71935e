package io.github.obskit.passenger.status;

import java.util.Locale;
import java.util.Objects;

/** Reading or parsing the Passenger status failed; {@link #reason()} says why in a bounded way. */
public class PassengerStatusException extends Exception {

  private final Reason reason;

  /**
   * Creates an exception without a cause.
   *
   * @param reason why the read failed
   * @param message what failed, in words an operator can act on
   */
  public PassengerStatusException(Reason reason, String message) {
    this(reason, message, null);
  }

  /**
   * Creates an exception.
   *
   * @param reason why the read failed
   * @param message what failed, in words an operator can act on
   * @param cause the underlying exception, or {@code null}
   */
  public PassengerStatusException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the read failed; a small fixed set, usable as a metric tag. */
  public Reason reason() {
    return reason;
  }

  /** The bounded causes of a failed read. */
  public enum Reason {
    /** The document is not well-formed XML, is truncated, or is not a Passenger status. */
    MALFORMED,
    /** The document declares a DTD or an entity, which untrusted input must not do. */
    FORBIDDEN_CONSTRUCT,
    /** The document exceeds the configured size limit. */
    TOO_LARGE,
    /** The answer was empty. */
    EMPTY,
    /** The source did not answer within its timeout. */
    TIMEOUT,
    /** The status command could not be started or exited with an error. */
    COMMAND_FAILED,
    /** Several Passenger instances run and none was chosen. */
    MULTIPLE_INSTANCES,
    /** No Passenger instance could be found. */
    NO_INSTANCE,
    /** The core API refused the credentials. */
    UNAUTHORIZED,
    /** Reading from the file, socket or process failed. */
    IO;

    /** The lower-case name used as the {@code reason} tag value. */
    public String tagValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
