/**
 * Auto-configuration shared by the features: the paths served for observability, which the request
 * metrics and the access log both leave out. It reads the features' settings; the features'
 * packages never depend on this one.
 */
package io.github.obskit.autoconfigure;
