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
	 * @param uri the endpoint, with the {@code id} query parameter
	 * @param timeout how long the connection may take
	 * @param listener receives the connection's frames and close
	 * @return the open connection
	 */
	CompletableFuture<Connection> connect(URI uri, Duration timeout, ConnectionListener listener);

}
