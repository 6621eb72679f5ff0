package io.netron.core;

/**
 * The two generations of the TypeScript Netron's protocol. A node speaks both, chosen per
 * connection: as a server from what the peer sends first (a {@code client-id} frame or a packet),
 * as a client from the server's id frame (binary JSON from a Titan server, text from a seed-era or
 * Java one), unless {@link ConnectOptions#withGeneration} forces one.
 */
public enum ProtocolGeneration {

	/**
	 * The first generation (the seed): a text id frame, the {@code abilities} exchange listing every
	 * service, plain {@code Error}s (extension 126) and {@code STREAM_ERROR}.
	 */
	SEED,

	/**
	 * The Titan generation (omnitron-dev/omni {@code packages/titan}): the {@code client-id} frame,
	 * services looked up on demand with {@code query_interface}, {@code TitanError}s (extension 110)
	 * with HTTP-like codes, {@code STREAM_CLOSE}, strict frames.
	 */
	TITAN

}
