/** Tracing of servlet applications on Boot's Micrometer Tracing with OpenTelemetry. */
package io.github.obskit.autoconfigure.tracing;
