package io.github.obskit.env;

/** Thrown at startup when the application runs on a Spring Boot the starter does not support. */
public final class UnsupportedSpringBootVersionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String bootVersion;

  private final String oldestSupported;

  UnsupportedSpringBootVersionException(String bootVersion, String oldestSupported) {
    super(
        "observability-starter needs Spring Boot "
            + oldestSupported
            + " or newer but runs on "
            + bootVersion);
    this.bootVersion = bootVersion;
    this.oldestSupported = oldestSupported;
  }

  /**
   * The version the application runs on.
   *
   * @return the Spring Boot version
   */
  public String getBootVersion() {
    return this.bootVersion;
  }

  /**
   * The oldest version the starter supports.
   *
   * @return a {@code major.minor} version
   */
  public String getOldestSupported() {
    return this.oldestSupported;
  }
}
