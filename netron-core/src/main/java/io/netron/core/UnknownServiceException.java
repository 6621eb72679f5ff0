package io.netron.core;

import io.netron.NetronException;

/**
 * No service, definition or member matches what was asked for.
 */
public class UnknownServiceException extends NetronException {

	/**
	 * An exception with a message saying what went wrong.
	 * @param message the message
	 */
	public UnknownServiceException(String message) {
		super(message);
	}

}
