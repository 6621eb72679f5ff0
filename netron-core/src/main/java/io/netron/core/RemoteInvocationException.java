package io.netron.core;

import java.util.Map;

import io.netron.NetronException;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.TitanError;

import org.jspecify.annotations.Nullable;

/**
 * A remote service, property or task answered with an error. Carries the remote error's
 * class, name, message and custom fields as the remote peer sent them; a Titan-generation
 * peer's {@code TitanError} also gives its code and details, and its cause as this exception's.
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
		super(describe(error), null, true);
		this.error = error;
		this.sentBeforeServicesKnown = sentBeforeServicesKnown;
		if (error instanceof TitanError titan && titan.titanCause() instanceof JsError cause) {
			initCause(of(cause, false));
		}
	}

	private static String describe(JsError error) {
		return (error instanceof TitanError titan) ? error.name() + " " + titan.code() + ": " + error.getMessage()
				: error.name() + ": " + error.getMessage();
	}

	/**
	 * The exception for an error answer: a dedicated type where the error's name (or, for a
	 * {@code TitanError}, its code: 403, 429, 503) has one.
	 */
	static RemoteInvocationException of(JsError error, boolean sentBeforeServicesKnown) {
		int code = (error instanceof TitanError titan) ? titan.code() : 0;
		if (error.name().equals(RemoteAccessDeniedException.ERROR_NAME) || code == 403) {
			return new RemoteAccessDeniedException(error, sentBeforeServicesKnown);
		}
		if (error.name().equals(RemoteOverloadedException.ERROR_NAME) || code == 429 || code == 503) {
			return new RemoteOverloadedException(error, sentBeforeServicesKnown);
		}
		return new RemoteInvocationException(error, sentBeforeServicesKnown);
	}

	/**
	 * An "Unknown definition" answer (a Titan peer's 404 for a definition or a service by name) to
	 * a request that named a definition of an earlier connection.
	 */
	boolean isStaleDefinition() {
		if (!this.sentBeforeServicesKnown) {
			return false;
		}
		if (this.error instanceof TitanError titan) {
			Object resource = titan.details().get("resource");
			return titan.code() == 404 && ("Definition".equals(resource) || "Service".equals(resource));
		}
		return this.error.getMessage().startsWith("Unknown definition: ");
	}

	/**
	 * {@return the HTTP-like code of a Titan-generation error (400, 403, 404, 429, 503...), 0 for a
	 * plain {@code Error}, which has none}
	 */
	public int remoteCode() {
		return (this.error instanceof TitanError titan) ? titan.code() : 0;
	}

	/** {@return the details of a Titan-generation error, empty for a plain {@code Error}} */
	public Map<String, @Nullable Object> details() {
		return (this.error instanceof TitanError titan) ? titan.details() : Map.of();
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
