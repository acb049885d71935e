package io.github.obskit.autoconfigure.securedapp;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The starter README's Spring Security snippet: everything needs a login but scrapes and probes.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ScrapePermittingApplication {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) {
    return http.authorizeHttpRequests(
            (requests) ->
                requests
                    .requestMatchers(
                        EndpointRequest.to(HealthEndpoint.class, PrometheusScrapeEndpoint.class))
                    .permitAll()
                    .requestMatchers(
                        EndpointRequest.toAdditionalPaths(
                            WebServerNamespace.SERVER, HealthEndpoint.class))
                    .permitAll()
                    .requestMatchers("/metrics", "/passenger_metrics")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(Customizer.withDefaults())
        .httpBasic(Customizer.withDefaults())
        .build();
  }
}
