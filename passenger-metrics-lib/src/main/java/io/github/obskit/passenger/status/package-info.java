/** Immutable model of Phusion Passenger's status document, its parser and its exception. */
package io.github.obskit.passenger.status;
