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
 * @param wireForm the object as it was decoded, written back unchanged (a Titan node's metadata
 * has argument objects and fields of its own), {@code null} for metadata made here
 */
public record ServiceMetadata(String name, String version, Map<String, PropertyInfo> properties,
		Map<String, MethodInfo> methods, @Nullable Map<String, @Nullable Object> wireForm) {

	/**
	 * Checks the components.
	 * @param name the service name
	 * @param version the semantic version, {@code ""} when the service has none
	 * @param properties the public properties by name, in declaration order
	 * @param methods the public methods by name, in declaration order
	 * @param wireForm the object as it was decoded, {@code null} for metadata made here
	 */
	public ServiceMetadata {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
		methods = Collections.unmodifiableMap(new LinkedHashMap<>(methods));
		wireForm = (wireForm != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(wireForm)) : null;
	}

	/**
	 * Metadata made here (written in the seed's form).
	 * @param name the service name
	 * @param version the semantic version, {@code ""} when the service has none
	 * @param properties the public properties by name, in declaration order
	 * @param methods the public methods by name, in declaration order
	 */
	public ServiceMetadata(String name, String version, Map<String, PropertyInfo> properties,
			Map<String, MethodInfo> methods) {
		this(name, version, properties, methods, null);
	}

	/** Equal when name, version, properties and methods are: the form they travelled in does not count. */
	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof ServiceMetadata that && this.name.equals(that.name) && this.version.equals(that.version)
				&& this.properties.equals(that.properties) && this.methods.equals(that.methods);
	}

	@Override
	public int hashCode() {
		return java.util.Objects.hash(this.name, this.version, this.properties, this.methods);
	}

	/**
	 * The definition's size as the node holds it, estimated from its names and types: what a peer
	 * exposing it makes the node keep.
	 * @return the estimated bytes
	 */
	public long estimatedSize() {
		long size = 64L + 2L * (this.name.length() + this.version.length());
		for (Map.Entry<String, PropertyInfo> property : this.properties.entrySet()) {
			size += 48L + 2L * (property.getKey().length() + property.getValue().type().length());
		}
		for (Map.Entry<String, MethodInfo> method : this.methods.entrySet()) {
			size += 64L + 2L * (method.getKey().length() + method.getValue().type().length());
			for (String argument : method.getValue().arguments()) {
				size += 16L + 2L * argument.length();
			}
		}
		return size;
	}

	/**
	 * {@code name@version}, or just the name when there is no version.
	 * @return {@code name@version}, or the name alone
	 */
	public String qualifiedName() {
		return this.version.isEmpty() ? this.name : this.name + "@" + this.version;
	}

	/** {@return the plain-object form written on the wire: as it was decoded, or the seed's form} */
	@SuppressWarnings("unchecked")
	public Map<String, Object> toWire() {
		if (this.wireForm != null) {
			return (Map<String, Object>) (Map<String, ?>) this.wireForm;
		}
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
	 * The plain-object form a Titan node writes: method arguments as {@code {index, type}} objects,
	 * and {@code contract}, {@code transports}, {@code _transports} and {@code transportConfig}
	 * undefined. Metadata decoded from a peer keeps the form it came in.
	 * @return the Titan form
	 */
	public Map<String, Object> toTitanWire() {
		if (this.wireForm != null) {
			return toWire();
		}
		Map<String, Object> props = new LinkedHashMap<>();
		this.properties.forEach((key, info) -> props.put(key, info.toWire()));
		Map<String, Object> meths = new LinkedHashMap<>();
		this.methods.forEach((key, info) -> {
			List<Object> arguments = new ArrayList<>();
			for (int i = 0; i < info.arguments().size(); i++) {
				Map<String, Object> argument = new LinkedHashMap<>();
				argument.put("index", i);
				argument.put("type", info.arguments().get(i));
				arguments.add(argument);
			}
			Map<String, Object> method = new LinkedHashMap<>();
			method.put("type", info.type());
			method.put("arguments", arguments);
			meths.put(key, method);
		});
		Map<String, Object> wire = new LinkedHashMap<>();
		wire.put("name", this.name);
		wire.put("version", this.version);
		wire.put("properties", props);
		wire.put("methods", meths);
		for (String undefined : List.of("contract", "transports", "_transports", "transportConfig")) {
			wire.put(undefined, Undefined.INSTANCE);
		}
		return wire;
	}

	/**
	 * This metadata as a Titan node writes it ({@link #toTitanWire()}).
	 * @return metadata whose wire form is Titan's
	 */
	public ServiceMetadata inTitanForm() {
		return (this.wireForm != null) ? this
				: new ServiceMetadata(this.name, this.version, this.properties, this.methods, toTitanWire());
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
		@SuppressWarnings("unchecked")
		Map<String, @Nullable Object> asDecoded = (Map<String, @Nullable Object>) wire;
		return new ServiceMetadata(text(wire.get("name"), null), text(wire.get("version"), ""), properties,
				methods, asDecoded);
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
