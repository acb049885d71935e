/**
 * Support for the end-to-end tests ({@code *IT}, run by failsafe in the {@code e2e} profile) of
 * every module: real programs on free loopback ports, stopped by the test that started them.
 */
package io.github.obskit.e2e;
