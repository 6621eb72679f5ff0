package io.netron.core;

import io.netron.protocol.JsError;

/**
 * The remote node refused the call: the caller is not authenticated, or not allowed to use the
 * member it called. The remote error's name is {@value #ERROR_NAME}; its message names the
 * member and the reason, such as
 * {@code "Access denied to calculator@1.0.0.reset: Access Denied"}.
 */
public class RemoteAccessDeniedException extends RemoteInvocationException {

	/** The name of the error a node answers a refused call with. */
	public static final String ERROR_NAME = "AccessDeniedError";

	RemoteAccessDeniedException(JsError error, boolean sentBeforeServicesKnown) {
		super(error, sentBeforeServicesKnown);
	}

}
