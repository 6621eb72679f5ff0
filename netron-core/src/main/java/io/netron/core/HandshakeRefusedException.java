package io.netron.core;

/**
 * The other node answered the WebSocket upgrade with an HTTP error instead of accepting it: 401
 * or 403 when its security refused the credentials (see {@link ConnectOptions#headers()}), 409
 * when another caller holds this node's id there, 503 when it has as many connections as it
 * allows.
 */
public class HandshakeRefusedException extends PeerDisconnectedException {

	/** The HTTP status of the refusal. */
	private final int statusCode;

	/**
	 * An exception for a refused upgrade.
	 * @param message what was refused, and why when the server said
	 * @param statusCode the HTTP status the server answered with
	 */
	public HandshakeRefusedException(String message, int statusCode) {
		super(message, false);
		this.statusCode = statusCode;
	}

	/** {@return the HTTP status the server answered the upgrade with} */
	public int statusCode() {
		return this.statusCode;
	}

}
