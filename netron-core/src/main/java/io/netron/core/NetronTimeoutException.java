package io.netron.core;

import io.netron.NetronException;

/**
 * A request, task or connection attempt that did not complete in time.
 */
public class NetronTimeoutException extends NetronException {

	/**
	 * An exception with a message saying what went wrong.
	 * @param message the message
	 */
	public NetronTimeoutException(String message) {
		super(message);
	}

}
