package io.netron.core;

import io.netron.NetronException;

/**
 * The peer a request was sent to disconnected before answering, or was not connected.
 */
public class PeerDisconnectedException extends NetronException {

	/** Whether the request may have reached the peer. */
	private final boolean requestSent;

	/**
	 * An exception with a message saying what went wrong.
	 * @param message the message
	 */
	public PeerDisconnectedException(String message) {
		this(message, true);
	}

	/**
	 * An exception for a request that did or did not reach the peer.
	 * @param message the message
	 * @param requestSent whether the request may have reached the peer
	 */
	public PeerDisconnectedException(String message, boolean requestSent) {
		super(message);
		this.requestSent = requestSent;
	}

	/**
	 * {@return whether the request may have reached the peer} It is {@code false} when the request
	 * was never sent (the peer was not connected), so that trying another peer is safe.
	 */
	public boolean requestSent() {
		return this.requestSent;
	}

}
