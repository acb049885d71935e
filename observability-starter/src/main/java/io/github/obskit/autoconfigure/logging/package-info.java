/** Health and metrics of the starter's log pipeline. */
package io.github.obskit.autoconfigure.logging;
