package io.netron.core;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Opens client connections to other nodes.
 */
@FunctionalInterface
public interface Connector {

	/**
	 * Opens a WebSocket to {@code uri}; the future fails if the TCP connection and upgrade do
	 * not complete within {@code timeout}.
	 */
	CompletableFuture<Connection> connect(URI uri, Duration timeout, ConnectionListener listener);

}
