package io.netron.core;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.TitanError;

import org.jspecify.annotations.Nullable;

/**
 * One of Netron's own refusals (unknown service, member or task, access denied, overloaded,
 * malformed request): the plain {@code Error} a seed-era peer gets, exactly as before, and what a
 * Titan-generation peer gets instead, a {@link TitanError} with an HTTP-like code, Titan's message
 * and details. The {@link Dialect} of the connection picks one.
 */
final class Refusal extends JsError {

	static final int BAD_REQUEST = 400;

	static final int FORBIDDEN = 403;

	static final int NOT_FOUND = 404;

	static final int TOO_MANY_REQUESTS = 429;

	static final int SERVICE_UNAVAILABLE = 503;

	/** The Titan code. */
	private final int code;

	/** Titan's message. */
	private final String titanMessage;

	/** Titan's details. */
	private final Map<String, @Nullable Object> details;

	private Refusal(JsError seed, int code, String titanMessage, Map<String, @Nullable Object> details) {
		super(seed.type(), seed.name(), seed.getMessage(), seed.stack(), seed.customFields());
		this.code = code;
		this.titanMessage = titanMessage;
		this.details = details;
	}

	/**
	 * A refusal: {@code seed} for seed-era peers; for Titan peers a {@code TitanError} with the same
	 * message.
	 */
	static Refusal of(JsError seed, int code) {
		return new Refusal(seed, code, seed.getMessage(), Map.of());
	}

	/** A refusal whose Titan form has a message and details of its own. */
	static Refusal of(JsError seed, int code, String titanMessage, Map<String, @Nullable Object> details) {
		return new Refusal(seed, code, titanMessage, details);
	}

	/** A plain {@code Error} refusal. */
	static Refusal error(int code, String message) {
		return of(JsError.of(JsErrorType.ERROR, message), code);
	}

	/** A malformed request: a {@code TypeError} for seed-era peers, 400 for Titan peers. */
	static Refusal badRequest(String message) {
		return of(JsError.of(JsErrorType.TYPE_ERROR, message), BAD_REQUEST);
	}

	/** Titan's {@code Errors.notFound(resource, id)}: "Resource with id x not found", {@code {resource, id}}. */
	static Refusal notFound(JsError seed, String resource, String id) {
		Map<String, @Nullable Object> details = new LinkedHashMap<>();
		details.put("resource", resource);
		details.put("id", id);
		return new Refusal(seed, NOT_FOUND, resource + " with id " + id + " not found", details);
	}

	/** {@return the Titan form: a {@code TitanError} made now} */
	TitanError toTitan() {
		return TitanError.of(this.code, this.titanMessage, this.details);
	}

}
