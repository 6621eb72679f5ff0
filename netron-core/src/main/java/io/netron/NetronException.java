package io.netron;

import org.jspecify.annotations.Nullable;

/**
 * Root of Netron's unchecked exceptions.
 */
public class NetronException extends RuntimeException {

	public NetronException(String message) {
		super(message);
	}

	public NetronException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

	protected NetronException(String message, @Nullable Throwable cause, boolean writableStackTrace) {
		super(message, cause, true, writableStackTrace);
	}

}
