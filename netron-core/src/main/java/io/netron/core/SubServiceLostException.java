package io.netron.core;

import io.netron.NetronException;

/**
 * A sub-service proxy (a service another service returned by reference) was used after the
 * connection that handed it out closed: the peer reconnected or restarted, and the object it
 * stood for is gone with that connection (a restarted node has other objects; a reconnected one
 * let go of those the old connection held). Nothing was sent. Ask the service that returned it for
 * a new one; top-level proxies, found by name, move to the new connection by themselves.
 */
public class SubServiceLostException extends NetronException {

	/**
	 * An exception with a message saying which sub-service was lost.
	 * @param message the message
	 */
	public SubServiceLostException(String message) {
		super(message);
	}

}
