package io.github.obskit.autoconfigure.web;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a scrape path may be served on the application's port: when Actuator shares that
 * port, or when the path's switch is set explicitly. Moving Actuator to a port of its own ({@code
 * management.server.port}) usually means keeping metrics off the public port; serving them there
 * anyway must be a choice the user writes down. Internal to the starter, not an API.
 */
public abstract class OnApplicationPortScrapeCondition extends SpringBootCondition {

  private final String enabledProperty;

  /**
   * Creates the condition for the scrape path switched by the given property.
   *
   * @param enabledProperty the property that switches the path on or off
   */
  protected OnApplicationPortScrapeCondition(String enabledProperty) {
    this.enabledProperty = enabledProperty;
  }

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Environment environment = context.getEnvironment();
    if (ManagementPortType.get(environment) != ManagementPortType.DIFFERENT) {
      return ConditionOutcome.match("Actuator shares the application's port");
    }
    if (environment.containsProperty(this.enabledProperty)) {
      return ConditionOutcome.match(
          "Actuator has a port of its own and " + this.enabledProperty + " is set");
    }
    return ConditionOutcome.noMatch(
        "Actuator has a port of its own (management.server.port) and "
            + this.enabledProperty
            + " is not set: the scrape stays off the application's port");
  }
}
