/**
 * Request id and access log for servlet and reactive web applications, and the paths served for
 * observability that the access log and the request metrics leave out.
 */
package io.github.obskit.autoconfigure.web;
