package io.netron.core;

import io.netron.NetronException;

/**
 * The peer a request was sent to disconnected before answering, or was not connected.
 */
public class PeerDisconnectedException extends NetronException {

	public PeerDisconnectedException(String message) {
		super(message);
	}

}
