package io.netron.core;

import io.netron.NetronException;

/**
 * The peer a request was sent to disconnected before answering, or was not connected.
 */
public class PeerDisconnectedException extends NetronException {

	private final boolean requestSent;

	public PeerDisconnectedException(String message) {
		this(message, true);
	}

	public PeerDisconnectedException(String message, boolean requestSent) {
		super(message);
		this.requestSent = requestSent;
	}

	/**
	 * Whether the request may have reached the peer; {@code false} when it was never sent (the
	 * peer was not connected), so that trying another peer is safe.
	 */
	public boolean requestSent() {
		return this.requestSent;
	}

}
