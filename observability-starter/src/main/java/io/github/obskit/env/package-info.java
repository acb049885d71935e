/** What the starter's environment post-processors need to know about the application's settings. */
package io.github.obskit.env;
