package io.netron.protocol;

import io.netron.NetronException;

import org.jspecify.annotations.Nullable;

/**
 * A decoded value that cannot be converted to the Java type it is declared as, such as an
 * argument of the wrong type.
 */
public class ValueConversionException extends NetronException {

	/**
	 * An exception with a message saying what went wrong.
	 * @param message the message
	 */
	public ValueConversionException(String message) {
		super(message);
	}

	/**
	 * An exception with a message and the failure behind it.
	 * @param message the message
	 * @param cause the failure behind it, if any
	 */
	public ValueConversionException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
