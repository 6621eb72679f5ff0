package io.netron.core;

import io.netron.NetronException;

/**
 * No service, definition or member matches what was asked for.
 */
public class UnknownServiceException extends NetronException {

	public UnknownServiceException(String message) {
		super(message);
	}

}
