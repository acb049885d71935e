/** The places a Passenger status is read from, behind one interface, and a caching wrapper. */
package io.github.obskit.passenger.status.source;
