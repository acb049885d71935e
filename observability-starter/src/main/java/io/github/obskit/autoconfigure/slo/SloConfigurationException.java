package io.github.obskit.autoconfigure.slo;

/**
 * Thrown at startup when the declared objectives cannot be published as they are: an objective
 * outside (0, 100) %, a threshold that is no sensible histogram bucket, a route pattern that
 * matches none of the application's routes or a threshold missing from the histogram's buckets.
 */
public class SloConfigurationException extends RuntimeException {

  private final String property;

  private final String action;

  /**
   * Creates the exception.
   *
   * @param property the property whose value is refused
   * @param problem what is wrong with it
   * @param action what to change
   */
  public SloConfigurationException(String property, String problem, String action) {
    super(property + ": " + problem);
    this.property = property;
    this.action = action;
  }

  /** The property whose value is refused. */
  public String getProperty() {
    return this.property;
  }

  /** What to change. */
  public String getAction() {
    return this.action;
  }
}
