package io.netron.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A Titan-generation error (extension 110): thirteen values in wire order, {@code name},
 * {@code code} (HTTP-like: 400, 403, 404, 429, 503...), {@code message}, {@code details},
 * {@code context}, {@code timestamp}, {@code requestId}, {@code correlationId}, {@code spanId},
 * {@code traceId}, {@code stack}, {@code cause} and {@code extras}. It is a {@link JsError} as
 * well (a plain {@code Error} with that name and message), so code that handles errors of either
 * generation handles it; the fields Titan adds are kept exactly as they travelled, so a decoded
 * error encodes back to the same bytes.
 */
public class TitanError extends JsError {

	/** Titan's own class name for its errors. */
	public static final String DEFAULT_NAME = "TitanError";

	/** The HTTP-like status code. */
	private final int code;

	/** The details object. */
	private final Map<String, @Nullable Object> details;

	/** The context object. */
	private final Map<String, @Nullable Object> context;

	/** When it happened, as it travelled. */
	private final @Nullable Object timestamp;

	/** The request id, or undefined. */
	private final @Nullable Object requestId;

	/** The correlation id, or undefined. */
	private final @Nullable Object correlationId;

	/** The span id, or undefined. */
	private final @Nullable Object spanId;

	/** The trace id, or undefined. */
	private final @Nullable Object traceId;

	/** The stack value, as it travelled. */
	private final @Nullable Object rawStack;

	/** The cause, as it travelled. */
	private final @Nullable Object titanCause;

	/** The extras object, or null. */
	private final @Nullable Object extras;

	/**
	 * An error as decoded from, or to be written to, the wire; absent ids are
	 * {@link Undefined#INSTANCE}, an absent stack, cause or extras {@code null}, as Titan sends them.
	 * @param name the class name, such as {@code TitanError} or {@code RateLimitError}
	 * @param code the HTTP-like status code
	 * @param message the message
	 * @param details the details object (may be empty)
	 * @param context the context object (may be empty)
	 * @param timestamp when it happened, epoch milliseconds (Titan writes a float64)
	 * @param requestId the request id
	 * @param correlationId the correlation id
	 * @param spanId the span id
	 * @param traceId the trace id
	 * @param stack the stack value
	 * @param cause the cause: {@code null}, a nested {@code TitanError} or an object
	 * @param extras extra fields, such as {@code {retryAfter}}
	 */
	public TitanError(String name, int code, String message, Map<String, @Nullable Object> details,
			Map<String, @Nullable Object> context, @Nullable Object timestamp, @Nullable Object requestId,
			@Nullable Object correlationId, @Nullable Object spanId, @Nullable Object traceId, @Nullable Object stack,
			@Nullable Object cause, @Nullable Object extras) {
		super(JsErrorType.ERROR, Objects.requireNonNull(name, "name"), message,
				(stack instanceof String text) ? text : null, Map.of());
		this.code = code;
		this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
		this.context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
		this.timestamp = timestamp;
		this.requestId = requestId;
		this.correlationId = correlationId;
		this.spanId = spanId;
		this.traceId = traceId;
		this.rawStack = stack;
		this.titanCause = cause;
		this.extras = extras;
	}

	/**
	 * A {@code TitanError} as a Titan node makes one: empty context, the current time, no ids,
	 * stack, cause or extras.
	 * @param code the HTTP-like status code
	 * @param message the message
	 * @param details the details object
	 * @return the error
	 */
	public static TitanError of(int code, String message, Map<String, @Nullable Object> details) {
		return named(DEFAULT_NAME, code, message, details, null);
	}

	/**
	 * A Titan error of a subclass, such as {@code RateLimitError}, made as a Titan node makes it.
	 * @param name the class name
	 * @param code the HTTP-like status code
	 * @param message the message
	 * @param details the details object
	 * @param extras the extras object, {@code null} for none
	 * @return the error
	 */
	public static TitanError named(String name, int code, String message, Map<String, @Nullable Object> details,
			@Nullable Map<String, @Nullable Object> extras) {
		return new TitanError(name, code, message, details, Map.of(), (double) System.currentTimeMillis(),
				Undefined.INSTANCE, Undefined.INSTANCE, Undefined.INSTANCE, Undefined.INSTANCE, null, null, extras);
	}

	/** {@return the HTTP-like status code} */
	public int code() {
		return this.code;
	}

	/** {@return the details object} */
	public Map<String, @Nullable Object> details() {
		return this.details;
	}

	/** {@return the context object} */
	public Map<String, @Nullable Object> context() {
		return this.context;
	}

	/** {@return the timestamp as it travelled (epoch milliseconds)} */
	public @Nullable Object timestamp() {
		return this.timestamp;
	}

	/** {@return the request id, {@link Undefined#INSTANCE} when absent} */
	public @Nullable Object requestId() {
		return this.requestId;
	}

	/** {@return the correlation id, {@link Undefined#INSTANCE} when absent} */
	public @Nullable Object correlationId() {
		return this.correlationId;
	}

	/** {@return the span id, {@link Undefined#INSTANCE} when absent} */
	public @Nullable Object spanId() {
		return this.spanId;
	}

	/** {@return the trace id, {@link Undefined#INSTANCE} when absent} */
	public @Nullable Object traceId() {
		return this.traceId;
	}

	/** {@return the stack value as it travelled ({@code null} as Titan sends it)} */
	public @Nullable Object rawStack() {
		return this.rawStack;
	}

	/** {@return the cause as it travelled: {@code null}, a nested {@code TitanError} or an object} */
	public @Nullable Object titanCause() {
		return this.titanCause;
	}

	/** {@return the extras object, {@code null} when absent} */
	public @Nullable Object extras() {
		return this.extras;
	}

	@Override
	public String toString() {
		return name() + " " + this.code + ": " + getMessage();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof TitanError that && super.equals(other) && this.code == that.code
				&& this.details.equals(that.details) && this.context.equals(that.context)
				&& Objects.equals(this.timestamp, that.timestamp) && Objects.equals(this.requestId, that.requestId)
				&& Objects.equals(this.correlationId, that.correlationId) && Objects.equals(this.spanId, that.spanId)
				&& Objects.equals(this.traceId, that.traceId) && Objects.equals(this.rawStack, that.rawStack)
				&& Objects.equals(this.titanCause, that.titanCause) && Objects.equals(this.extras, that.extras);
	}

	@Override
	public int hashCode() {
		return Objects.hash(super.hashCode(), this.code, this.details);
	}

}
