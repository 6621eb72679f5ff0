package io.netron.autoconfigure;

import io.netron.NetronException;

/**
 * Netron is configured in a way that cannot work; the message says what to change.
 */
public class NetronConfigurationException extends NetronException {

	private final String action;

	public NetronConfigurationException(String message, String action) {
		super(message);
		this.action = action;
	}

	/** What to change. */
	public String action() {
		return this.action;
	}

}
