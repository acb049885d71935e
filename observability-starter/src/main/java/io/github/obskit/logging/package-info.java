/** JSON logging on stdout, selected before the application context exists. */
package io.github.obskit.logging;
