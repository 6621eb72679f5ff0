package io.netron.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import io.netron.core.ConnectOptions;
import io.netron.core.Connector;
import io.netron.core.ProtocolGeneration;

import org.jspecify.annotations.Nullable;

/**
 * A configured peer.
 *
 * @param name the name clients refer to it by
 * @param url the WebSocket URL of its Netron endpoint
 * @param requestTimeout how long calls to it may take
 * @param eager whether to connect while the application starts
 * @param connector the transport for this peer (its TLS trust, for one); {@code null} for the node's
 * @param headers the upgrade request's HTTP headers (credentials, for one), asked for at every
 * connect and reconnect
 * @param generation the protocol generation to speak with it, {@code null} to follow its id frame
 */
public record PeerSettings(String name, URI url, Duration requestTimeout, boolean eager, @Nullable Connector connector,
		Supplier<Map<String, String>> headers, @Nullable ProtocolGeneration generation) {

	/**
	 * A peer whose protocol generation follows its id frame.
	 * @param name the name clients refer to it by
	 * @param url the WebSocket URL of its Netron endpoint
	 * @param requestTimeout how long calls to it may take
	 * @param eager whether to connect while the application starts
	 * @param connector the transport for this peer; {@code null} for the node's
	 * @param headers the upgrade request's HTTP headers, asked for at every connect and reconnect
	 */
	public PeerSettings(String name, URI url, Duration requestTimeout, boolean eager, @Nullable Connector connector,
			Supplier<Map<String, String>> headers) {
		this(name, url, requestTimeout, eager, connector, headers, null);
	}

	/**
	 * A peer reached with the node's connector and no handshake headers.
	 * @param name the name clients refer to it by
	 * @param url the WebSocket URL of its Netron endpoint
	 * @param requestTimeout how long calls to it may take
	 * @param eager whether to connect while the application starts
	 */
	public PeerSettings(String name, URI url, Duration requestTimeout, boolean eager) {
		this(name, url, requestTimeout, eager, null, Map::of, null);
	}

	/** {@return how the node connects to this peer} */
	public ConnectOptions connectOptions() {
		return new ConnectOptions(this.requestTimeout, this.connector, this.headers, this.generation);
	}

}
