package io.netron.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * How this node connects to one peer, when the node's defaults do not fit.
 *
 * @param requestTimeout how long requests to the peer may take; {@code null} for the node's
 * @param connector the transport to connect with (for example one with the peer's TLS trust);
 * {@code null} for the node's
 * @param headers the HTTP headers of the WebSocket upgrade, such as {@code Authorization}: asked
 * for at every connect and reconnect, so that a token can be renewed in between
 * @param generation the protocol generation to speak whatever the server's id frame says;
 * {@code null} to follow the server (a binary id frame is a Titan server, a text one a seed-era or
 * Java server)
 */
public record ConnectOptions(@Nullable Duration requestTimeout, @Nullable Connector connector,
		Supplier<Map<String, String>> headers, @Nullable ProtocolGeneration generation) {

	/**
	 * Checks the options.
	 * @param requestTimeout how long requests to the peer may take; {@code null} for the node's
	 * @param connector the transport to connect with; {@code null} for the node's
	 * @param headers the HTTP headers of the WebSocket upgrade, asked for at every connect
	 * @param generation the protocol generation to speak; {@code null} to follow the server
	 */
	public ConnectOptions {
		Objects.requireNonNull(headers, "headers");
	}

	/**
	 * Options that follow the server's generation.
	 * @param requestTimeout how long requests to the peer may take; {@code null} for the node's
	 * @param connector the transport to connect with; {@code null} for the node's
	 * @param headers the HTTP headers of the WebSocket upgrade, asked for at every connect
	 */
	public ConnectOptions(@Nullable Duration requestTimeout, @Nullable Connector connector,
			Supplier<Map<String, String>> headers) {
		this(requestTimeout, connector, headers, null);
	}

	/** {@return the node's defaults: its request timeout and connector, no headers, the server's generation} */
	public static ConnectOptions defaults() {
		return new ConnectOptions(null, null, Map::of, null);
	}

	/**
	 * A copy with other settings.
	 * @param generation the protocol generation to speak; {@code null} to follow the server
	 * @return the copy
	 */
	public ConnectOptions withGeneration(@Nullable ProtocolGeneration generation) {
		return new ConnectOptions(this.requestTimeout, this.connector, this.headers, generation);
	}

	/**
	 * A copy with other settings.
	 * @param requestTimeout how long requests to the peer may take; {@code null} for the node's
	 * @return the copy
	 */
	public ConnectOptions withRequestTimeout(@Nullable Duration requestTimeout) {
		return new ConnectOptions(requestTimeout, this.connector, this.headers, this.generation);
	}

	/**
	 * A copy with other settings.
	 * @param connector the transport to connect with; {@code null} for the node's
	 * @return the copy
	 */
	public ConnectOptions withConnector(@Nullable Connector connector) {
		return new ConnectOptions(this.requestTimeout, connector, this.headers, this.generation);
	}

	/**
	 * A copy with other settings.
	 * @param headers the HTTP headers of the WebSocket upgrade, asked for at every connect
	 * @return the copy
	 */
	public ConnectOptions withHeaders(Supplier<Map<String, String>> headers) {
		return new ConnectOptions(this.requestTimeout, this.connector, headers, this.generation);
	}

}
