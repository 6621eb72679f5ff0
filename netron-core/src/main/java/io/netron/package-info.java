/**
 * Netron for Spring Boot: the root exception type shared by every layer.
 */
@NullMarked
package io.netron;

import org.jspecify.annotations.NullMarked;
