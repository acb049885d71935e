/** Request id and access log for servlet web applications. */
package io.github.obskit.autoconfigure.web;
