package io.github.obskit.env;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * What the application set in its default properties ({@code
 * SpringApplication#setDefaultProperties}, {@code SpringApplicationBuilder#properties}).
 *
 * <p>SpringApplication moves that source to the end after the environment post-processors have run
 * and again before the context refreshes, so no source of the starter's defaults can stay below it:
 * a property the application gives there would lose against the starter's. The starter's
 * post-processors therefore leave out what this class reports as set. Internal to the starter, not
 * an API.
 */
public final class ApplicationDefaultProperties {

  private ApplicationDefaultProperties() {}

  /**
   * Whether the application's default properties set the given property, in whatever form it was
   * written (relaxed names, a list as {@code [0]}, {@code [1]}...).
   *
   * @param environment the environment
   * @param name the property, in its canonical form
   * @return {@code true} when the application's default properties set it
   */
  public static boolean isSet(ConfigurableEnvironment environment, String name) {
    PropertySource<?> applicationDefaults =
        environment.getPropertySources().get(DefaultPropertiesPropertySource.NAME);
    if (applicationDefaults == null) {
      return false;
    }
    ConfigurationPropertySource source = ConfigurationPropertySource.from(applicationDefaults);
    ConfigurationPropertyName property = ConfigurationPropertyName.of(name);
    return source != null
        && (source.getConfigurationProperty(property) != null
            || source.getConfigurationProperty(property.append("[0]")) != null);
  }
}
