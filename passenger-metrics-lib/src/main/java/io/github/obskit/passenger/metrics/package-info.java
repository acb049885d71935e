/** The Micrometer binder that turns a Passenger status into meters. */
package io.github.obskit.passenger.metrics;
