package io.netron.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A JavaScript {@code Error} value (extension 126): its standard class, name, message, stack and
 * custom fields. Decoded errors come back as this type, and a service may throw one to make a
 * TypeScript caller's promise reject with exactly that class and fields:
 * <pre>{@code throw JsError.of(JsErrorType.TYPE_ERROR, "expected a number").with("code", "E_TYPE");}</pre>
 */
public class JsError extends RuntimeException {

	/** The standard class. */
	private final JsErrorType type;

	/** The {@code name} property. */
	private final String name;

	/** The JavaScript stack string, or {@code null} when undefined. */
	private final @Nullable String stack;

	/** The custom fields, in wire order. */
	private final Map<String, @Nullable Object> customFields;

	/**
	 * An error as decoded from, or to be written to, the wire.
	 * @param type the standard class
	 * @param name the {@code name} property (a custom class name is kept here)
	 * @param message the message ({@code null} is the empty message, as in {@code new Error(undefined)})
	 * @param stack the JavaScript stack string, or {@code null} when it is undefined
	 * @param customFields the other own enumerable properties, in order
	 */
	public JsError(JsErrorType type, String name, @Nullable String message, @Nullable String stack,
			Map<String, @Nullable Object> customFields) {
		super((message != null) ? message : "", null, false, false);
		this.type = Objects.requireNonNull(type, "type");
		this.name = Objects.requireNonNull(name, "name");
		this.stack = stack;
		this.customFields = Collections.unmodifiableMap(new LinkedHashMap<>(customFields));
	}

	/**
	 * An error of a standard class, named after it, with the stack {@code "Name: message"} (the
	 * stack a thrown error travels with, so that values and thrown errors look alike in JavaScript).
	 * @param type the standard class
	 * @param message the message ({@code null}: empty)
	 * @return the error
	 */
	public static JsError of(JsErrorType type, @Nullable String message) {
		String text = (message != null) ? message : "";
		return new JsError(type, type.jsName(), text, type.jsName() + ": " + text, Map.of());
	}

	/**
	 * A plain {@code Error} with a custom name, such as {@code "ValidationError"}, and a {@code "Name: message"} stack.
	 * @param name the {@code name} property
	 * @param message the message ({@code null}: empty)
	 * @return the error
	 */
	public static JsError named(String name, @Nullable String message) {
		String text = (message != null) ? message : "";
		return new JsError(JsErrorType.ERROR, name, text, name + ": " + text, Map.of());
	}

	/** {@return whether the stack is the bare {@code "Name: message"} line, without frames} */
	public boolean hasBareStack() {
		return this.stack == null || this.stack.equals(this.name + ": " + getMessage());
	}

	/**
	 * A copy with one more custom field.
	 * @param key the field's name
	 * @param value its value
	 * @return the copy
	 */
	public JsError with(String key, @Nullable Object value) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>(this.customFields);
		fields.put(key, value);
		return new JsError(this.type, this.name, getMessage(), this.stack, fields);
	}

	/**
	 * A copy with the given JavaScript stack string ({@code null}: undefined).
	 * @param stack the stack string
	 * @return the copy
	 */
	public JsError withStack(@Nullable String stack) {
		return new JsError(this.type, this.name, getMessage(), stack, this.customFields);
	}

	/** {@return the standard class} */
	public JsErrorType type() {
		return this.type;
	}

	/** {@return the {@code name} property} */
	public String name() {
		return this.name;
	}

	/** {@return the JavaScript stack string, or {@code null} when undefined} */
	public @Nullable String stack() {
		return this.stack;
	}

	/** {@return the custom fields, in wire order} */
	public Map<String, @Nullable Object> customFields() {
		return this.customFields;
	}

	@Override
	public String getMessage() {
		return Objects.requireNonNull(super.getMessage());
	}

	@Override
	public String toString() {
		return this.name + ": " + getMessage()
				+ (this.customFields.isEmpty() ? "" : " " + this.customFields);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof JsError that && this.type == that.type && this.name.equals(that.name)
				&& getMessage().equals(that.getMessage()) && Objects.equals(this.stack, that.stack)
				&& this.customFields.equals(that.customFields);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.type, this.name, getMessage(), this.stack, this.customFields);
	}

}
