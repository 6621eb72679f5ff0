/**
 * The Netron sample application.
 */
@NullMarked
package io.netron.sample;

import org.jspecify.annotations.NullMarked;
