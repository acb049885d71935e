/** Wiring of the Passenger status binder and its optional dedicated scrape endpoint. */
package io.github.obskit.autoconfigure.passenger;
