package io.netron.protocol;

import io.netron.NetronException;

/**
 * A frame or value that cannot be decoded, or a value that cannot be encoded, by the Netron
 * wire protocol. The message says what was wrong and where.
 */
public class ProtocolException extends NetronException {

	/**
	 * An exception with a message saying what went wrong.
	 * @param message the message
	 */
	public ProtocolException(String message) {
		super(message);
	}

}
