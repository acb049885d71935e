/** The demo service: the seed project's test endpoints, built on the observability starter. */
package io.github.obskit.demo;
