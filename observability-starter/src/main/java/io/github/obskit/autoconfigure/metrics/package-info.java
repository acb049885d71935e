/**
 * Request-metric defaults, the exclusion of scrape traffic and the Prometheus scrape on its own
 * path.
 */
package io.github.obskit.autoconfigure.metrics;
