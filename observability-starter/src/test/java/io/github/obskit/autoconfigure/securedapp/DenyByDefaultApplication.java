package io.github.obskit.autoconfigure.securedapp;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * Spring Security as Boot configures it with no chain of the application's: every path needs a
 * login.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DenyByDefaultApplication {}
