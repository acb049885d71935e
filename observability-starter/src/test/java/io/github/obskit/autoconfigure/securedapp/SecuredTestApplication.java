package io.github.obskit.autoconfigure.securedapp;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A servlet service behind Spring Security: {@code /hello/{name}} is for admins only. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SecuredTestApplication {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) {
    return http.authorizeHttpRequests(
            (requests) ->
                requests
                    .requestMatchers(EndpointRequest.toAnyEndpoint())
                    .permitAll()
                    .requestMatchers("/metrics")
                    .permitAll()
                    .requestMatchers("/hello/**")
                    .hasRole("ADMIN")
                    .anyRequest()
                    .authenticated())
        // As Boot's default chain (ManagementWebSecurityAutoConfiguration): CORS, whose Spring MVC
        // configuration source looks the handler up (setting the metric's uri), form login, Basic.
        .cors(Customizer.withDefaults())
        .formLogin(Customizer.withDefaults())
        .httpBasic(Customizer.withDefaults())
        .build();
  }

  @Bean
  InMemoryUserDetailsManager users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("user").password("{noop}secret").roles("USER").build());
  }

  /** The protected route; a member class, so registered with the configuration. */
  @RestController
  static class HelloController {

    @GetMapping("/hello/{name}")
    String hello(@PathVariable String name) {
      return "hello " + name;
    }
  }
}
