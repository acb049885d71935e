/**
 * Service level objectives declared by the application and published on its scrape, so that one
 * generic rule set judges each service by its own objectives.
 */
package io.github.obskit.autoconfigure.slo;
