/**
 * WebSocket transport: the server endpoint on Spring WebSocket and the client connector on the
 * JDK HTTP client. Frames go to and come from {@link io.netron.core} through
 * {@link io.netron.core.Connection}.
 */
@NullMarked
package io.netron.transport;

import org.jspecify.annotations.NullMarked;
