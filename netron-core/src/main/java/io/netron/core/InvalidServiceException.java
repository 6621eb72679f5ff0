package io.netron.core;

import io.netron.NetronException;

/**
 * A class that cannot be a Netron service as declared: bad name or version, overloaded public
 * methods, a service exposed twice. The message says what to change.
 */
public class InvalidServiceException extends NetronException {

	/**
	 * An exception with a message saying what went wrong.
	 * @param message the message
	 */
	public InvalidServiceException(String message) {
		super(message);
	}

}
