package io.netron.core;

import java.util.Map;

import io.netron.NetronException;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;

import org.jspecify.annotations.Nullable;

/**
 * A remote service, property or task answered with an error. Carries the remote error's
 * class, name, message and custom fields as the remote peer sent them.
 */
public class RemoteInvocationException extends NetronException {

	/** The error the peer answered with. */
	private final JsError error;

	/** Sent on a connection whose services were not known yet: definition ids may be stale. */
	private final boolean sentBeforeServicesKnown;

	/**
	 * An exception for an error answer.
	 * @param error the error the peer answered with
	 */
	public RemoteInvocationException(JsError error) {
		this(error, false);
	}

	RemoteInvocationException(JsError error, boolean sentBeforeServicesKnown) {
		super(error.name() + ": " + error.getMessage(), null, true);
		this.error = error;
		this.sentBeforeServicesKnown = sentBeforeServicesKnown;
	}

	/** The exception for an error answer: a dedicated type where the error's name has one. */
	static RemoteInvocationException of(JsError error, boolean sentBeforeServicesKnown) {
		return switch (error.name()) {
			case RemoteAccessDeniedException.ERROR_NAME -> new RemoteAccessDeniedException(error, sentBeforeServicesKnown);
			case RemoteOverloadedException.ERROR_NAME -> new RemoteOverloadedException(error, sentBeforeServicesKnown);
			default -> new RemoteInvocationException(error, sentBeforeServicesKnown);
		};
	}

	/** An "Unknown definition" answer to a request that named a definition of an earlier connection. */
	boolean isStaleDefinition() {
		return this.sentBeforeServicesKnown && this.error.getMessage().startsWith("Unknown definition: ");
	}

	/** {@return the error as it crossed the wire} */
	public JsError error() {
		return this.error;
	}

	/** {@return the remote error's standard class} */
	public JsErrorType remoteType() {
		return this.error.type();
	}

	/** {@return the remote error's name, such as {@code TypeError} or {@code IllegalArgumentException}} */
	public String remoteName() {
		return this.error.name();
	}

	/** {@return the remote error's message} */
	public String remoteMessage() {
		return this.error.getMessage();
	}

	/** {@return the remote error's stack, when the remote peer sent one} */
	public @Nullable String remoteStack() {
		return this.error.stack();
	}

	/** {@return the remote error's custom fields, such as {@code code}} */
	public Map<String, @Nullable Object> customFields() {
		return this.error.customFields();
	}

}
