/**
 * Checks that say when Spring AOT fixed at build time what the application configures at run time.
 */
package io.github.obskit.aot;
