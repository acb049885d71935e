/** The command-line tool and standalone Prometheus exporter for Passenger hosts. */
package io.github.obskit.passenger.cli;
