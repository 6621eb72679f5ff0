package io.netron.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a service offers: the {@code meta} of a {@link Definition} and the argument of the
 * {@code expose_service} task. On the wire it is the plain object
 * {@code {name, version, properties: {p: {type, readonly}}, methods: {m: {type, arguments}}}}.
 *
 * @param name the service name
 * @param version the semantic version, {@code ""} when the service has none
 * @param properties the public properties by name, in declaration order
 * @param methods the public methods by name, in declaration order
 */
public record ServiceMetadata(String name, String version, Map<String, PropertyInfo> properties,
		Map<String, MethodInfo> methods) {

	/**
	 * Checks the components.
	 * @param name the service name
	 * @param version the semantic version, {@code ""} when the service has none
	 * @param properties the public properties by name, in declaration order
	 * @param methods the public methods by name, in declaration order
	 */
	public ServiceMetadata {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
		methods = Collections.unmodifiableMap(new LinkedHashMap<>(methods));
	}

	/**
	 * {@code name@version}, or just the name when there is no version.
	 * @return {@code name@version}, or the name alone
	 */
	public String qualifiedName() {
		return this.version.isEmpty() ? this.name : this.name + "@" + this.version;
	}

	/** {@return the plain-object form written on the wire} */
	public Map<String, Object> toWire() {
		Map<String, Object> props = new LinkedHashMap<>();
		this.properties.forEach((key, info) -> props.put(key, info.toWire()));
		Map<String, Object> meths = new LinkedHashMap<>();
		this.methods.forEach((key, info) -> meths.put(key, info.toWire()));
		Map<String, Object> wire = new LinkedHashMap<>();
		wire.put("name", this.name);
		wire.put("version", this.version);
		wire.put("properties", props);
		wire.put("methods", meths);
		return wire;
	}

	/**
	 * Reads the wire form, failing with a {@link ProtocolException} on a value of the wrong shape.
	 * @param value the decoded {@code meta} object
	 * @return the metadata
	 */
	public static ServiceMetadata fromWire(@Nullable Object value) {
		Map<?, ?> wire = asObject(value, "service metadata");
		Map<String, PropertyInfo> properties = new LinkedHashMap<>();
		Object props = wire.get("properties");
		if (props != null && props != Undefined.INSTANCE) {
			asObject(props, "metadata.properties").forEach((key, info) -> {
				Map<?, ?> p = asObject(info, "metadata.properties." + key);
				properties.put(String.valueOf(key),
						new PropertyInfo(text(p.get("type"), "Object"), Boolean.TRUE.equals(p.get("readonly"))));
			});
		}
		Map<String, MethodInfo> methods = new LinkedHashMap<>();
		Object meths = wire.get("methods");
		if (meths != null && meths != Undefined.INSTANCE) {
			asObject(meths, "metadata.methods").forEach((key, info) -> {
				Map<?, ?> m = asObject(info, "metadata.methods." + key);
				List<String> arguments = new ArrayList<>();
				if (m.get("arguments") instanceof List<?> args) {
					args.forEach((arg) -> arguments.add(argumentType(arg)));
				}
				methods.put(String.valueOf(key), new MethodInfo(text(m.get("type"), "void"), arguments));
			});
		}
		return new ServiceMetadata(text(wire.get("name"), null), text(wire.get("version"), ""), properties,
				methods);
	}

	private static String argumentType(@Nullable Object arg) {
		// the TypeScript type declares {type} objects although the decorator writes plain strings
		if (arg instanceof Map<?, ?> object && object.get("type") instanceof String type) {
			return type;
		}
		return (arg instanceof String type) ? type : "Object";
	}

	private static Map<?, ?> asObject(@Nullable Object value, String what) {
		if (value instanceof Map<?, ?> map && !(value instanceof JsMap)) {
			return map;
		}
		throw new ProtocolException("Invalid " + what + ": expected a plain object but got " + describe(value));
	}

	private static String text(@Nullable Object value, @Nullable String fallback) {
		if (value instanceof String text) {
			return text;
		}
		if (fallback != null && (value == null || value == Undefined.INSTANCE)) {
			return fallback;
		}
		throw new ProtocolException("Invalid service metadata: expected a string but got " + describe(value));
	}

	private static String describe(@Nullable Object value) {
		return (value != null) ? value.getClass().getSimpleName() : "null";
	}

	/**
	 * A public property.
	 *
	 * @param type the type name, such as {@code String} or {@code Number}
	 * @param readonly whether remote peers may only read it
	 */
	public record PropertyInfo(String type, boolean readonly) {

		Map<String, Object> toWire() {
			Map<String, Object> wire = new LinkedHashMap<>();
			wire.put("type", this.type);
			wire.put("readonly", this.readonly);
			return wire;
		}

	}

	/**
	 * A public method.
	 *
	 * @param type the return type name, {@code void} when unknown
	 * @param arguments the argument type names
	 */
	public record MethodInfo(String type, List<String> arguments) {

		/**
		 * Checks the components.
		 * @param type the return type name, {@code void} when unknown
		 * @param arguments the argument type names
		 */
		public MethodInfo {
			arguments = List.copyOf(arguments);
		}

		Map<String, Object> toWire() {
			Map<String, Object> wire = new LinkedHashMap<>();
			wire.put("type", this.type);
			wire.put("arguments", this.arguments);
			return wire;
		}

	}

}
