package io.netron.core;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
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

	/**
	 * Opens a WebSocket to {@code uri} with HTTP headers on the upgrade request, such as
	 * {@code Authorization}. Connectors that cannot send headers refuse a non-empty map.
	 * @param uri the endpoint, with the {@code id} query parameter
	 * @param timeout how long the connection may take
	 * @param headers the upgrade request's headers
	 * @param listener receives the connection's frames and close
	 * @return the open connection
	 */
	default CompletableFuture<Connection> connect(URI uri, Duration timeout, Map<String, String> headers,
			ConnectionListener listener) {
		if (!headers.isEmpty()) {
			return CompletableFuture.failedFuture(new UnsupportedOperationException(
					getClass().getName() + " cannot send handshake headers " + headers.keySet()));
		}
		return connect(uri, timeout, listener);
	}

}
