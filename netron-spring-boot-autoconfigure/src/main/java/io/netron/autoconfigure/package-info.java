/**
 * Spring Boot auto-configuration of Netron: properties, the node, the WebSocket endpoint and
 * the exposure of {@code @NetronService} beans.
 */
@NullMarked
package io.netron.autoconfigure;

import org.jspecify.annotations.NullMarked;
