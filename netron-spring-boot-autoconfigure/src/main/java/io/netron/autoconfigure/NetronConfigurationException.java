package io.netron.autoconfigure;

import io.netron.NetronException;

/**
 * Netron is configured in a way that cannot work; the message says what to change.
 */
public class NetronConfigurationException extends NetronException {

	/** What to change. */
	private final String action;

	/**
	 * A configuration problem.
	 * @param message what is wrong
	 * @param action what to change
	 */
	public NetronConfigurationException(String message, String action) {
		super(message);
		this.action = action;
	}

	/** {@return what to change} */
	public String action() {
		return this.action;
	}

}
