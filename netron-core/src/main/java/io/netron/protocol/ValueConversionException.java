package io.netron.protocol;

import io.netron.NetronException;

import org.jspecify.annotations.Nullable;

/**
 * A decoded value that cannot be converted to the Java type it is declared as, such as an
 * argument of the wrong type.
 */
public class ValueConversionException extends NetronException {

	public ValueConversionException(String message) {
		super(message);
	}

	public ValueConversionException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
