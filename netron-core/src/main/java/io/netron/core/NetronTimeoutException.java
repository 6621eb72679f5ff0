package io.netron.core;

import io.netron.NetronException;

/**
 * A request, task or connection attempt that did not complete in time.
 */
public class NetronTimeoutException extends NetronException {

	public NetronTimeoutException(String message) {
		super(message);
	}

}
