package io.netron.core;

/**
 * The names of the events a node emits, with the payloads the TypeScript Netron sends.
 */
public final class NetronEvents {

	/** A service was exposed: {@code {name, version, qualifiedName, peerId, definition}}. */
	public static final String SERVICE_EXPOSE = "service:expose";

	/** A service was unexposed: {@code {name, version, qualifiedName, peerId, defId}}. */
	public static final String SERVICE_UNEXPOSE = "service:unexpose";

	/** A peer connected: {@code {peerId}}. */
	public static final String PEER_CONNECT = "peer:connect";

	/** A peer disconnected: {@code {peerId}}. */
	public static final String PEER_DISCONNECT = "peer:disconnect";

	private NetronEvents() {
	}

}
