package io.netron.core;

import io.netron.protocol.JsError;

/**
 * The remote node refused the call because it has too much to do: the connection has as many
 * requests in flight as the node allows ({@code netron.server.max-requests-in-flight}), or its
 * workers cannot take more. Nothing was invoked; the call may be retried later. The remote
 * error's name is {@value #ERROR_NAME}.
 */
public class RemoteOverloadedException extends RemoteInvocationException {

	/** The name of the error a node answers a request it cannot take with. */
	public static final String ERROR_NAME = "OverloadedError";

	RemoteOverloadedException(JsError error, boolean sentBeforeServicesKnown) {
		super(error, sentBeforeServicesKnown);
	}

}
