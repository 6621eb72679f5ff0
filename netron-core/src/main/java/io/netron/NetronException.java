package io.netron;

import org.jspecify.annotations.Nullable;

/**
 * Root of Netron's unchecked exceptions.
 */
public class NetronException extends RuntimeException {

	/**
	 * An exception with a message saying what went wrong.
	 * @param message the message
	 */
	public NetronException(String message) {
		super(message);
	}

	/**
	 * An exception with a message and the failure behind it.
	 * @param message the message
	 * @param cause the failure behind it, if any
	 */
	public NetronException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

	/**
	 * An exception that may skip filling in its stack trace (errors that crossed the wire carry
	 * the remote one).
	 * @param message the message
	 * @param cause the failure behind it, if any
	 * @param writableStackTrace whether to fill in the local stack trace
	 */
	protected NetronException(String message, @Nullable Throwable cause, boolean writableStackTrace) {
		super(message, cause, true, writableStackTrace);
	}

}
