package io.netron.core;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Which declared types the codec can carry, judged once when a service is exposed rather than on
 * every call: objects that are not data (threads, byte streams, functions, executors,
 * connections) cannot go over the wire either way, and of the JDK's classes only those the codec
 * writes can be results ({@code Stream} and publishers go as Netron streams). Application classes
 * are judged per value (their properties, or a serializer of their own); so is {@code Object}.
 */
final class WireTypes {

	/** JDK types that are not data, with what to use instead. */
	private static final List<Class<?>> NOT_DATA = List.of(Thread.class, ThreadGroup.class, Runnable.class,
			ClassLoader.class, Process.class, java.io.InputStream.class, java.io.OutputStream.class, java.io.Reader.class,
			java.io.Writer.class, java.util.concurrent.Callable.class, java.util.concurrent.Executor.class,
			java.util.concurrent.locks.Lock.class, java.net.Socket.class, java.net.ServerSocket.class,
			java.nio.channels.Channel.class, java.sql.Connection.class, java.sql.Statement.class, java.sql.ResultSet.class);

	/** JDK types the codec writes as values (results); others are refused as "Not supported". */
	private static final List<Class<?>> WRITTEN = List.of(Number.class, Boolean.class, Character.class,
			CharSequence.class, java.util.Collection.class, java.util.Map.class, Throwable.class,
			java.time.temporal.TemporalAccessor.class, java.time.temporal.TemporalAmount.class, java.time.ZoneId.class,
			java.util.Date.class, java.util.UUID.class, java.util.regex.Pattern.class, java.nio.ByteBuffer.class,
			java.util.Optional.class, java.util.OptionalInt.class, java.util.OptionalLong.class,
			java.util.OptionalDouble.class, Enum.class, Void.class, java.util.concurrent.CompletionStage.class,
			java.util.concurrent.Flow.Publisher.class, java.util.stream.Stream.class);

	private WireTypes() {
	}

	/**
	 * Why a declared type cannot be carried.
	 * @param type a parameter's, property's or result's generic type
	 * @param result whether values of it are written (a result, a property) rather than only read
	 * @return the reason, {@code null} when it can be carried (or is judged per value)
	 */
	static @Nullable String problem(Type type, boolean result) {
		if (type instanceof ParameterizedType parameterized) {
			String raw = problem(parameterized.getRawType(), result);
			if (raw != null) {
				return raw;
			}
			for (Type argument : parameterized.getActualTypeArguments()) {
				String inner = problem(argument, result);
				if (inner != null) {
					return inner;
				}
			}
			return null;
		}
		if (type instanceof GenericArrayType array) {
			return problem(array.getGenericComponentType(), result);
		}
		if (type instanceof WildcardType wildcard) {
			Type[] upper = wildcard.getUpperBounds();
			return (upper.length == 1) ? problem(upper[0], result) : null;
		}
		if (type instanceof TypeVariable<?>) {
			return null;
		}
		if (!(type instanceof Class<?> raw)) {
			return null;
		}
		if (raw.isArray()) {
			return problem(raw.getComponentType(), result);
		}
		if (raw.isPrimitive() || raw == Object.class) {
			// an Object is judged per value
			return null;
		}
		for (Class<?> notData : NOT_DATA) {
			if (notData.isAssignableFrom(raw) && !java.util.concurrent.CompletionStage.class.isAssignableFrom(raw)
					&& !java.util.Collection.class.isAssignableFrom(raw)) {
				return "a " + notData.getSimpleName() + " is not data: it cannot be sent to or received from a peer";
			}
		}
		if (raw.getPackageName().startsWith("java.util.function")) {
			return "a function cannot be sent to or received from a peer";
		}
		if (result && isJdk(raw) && WRITTEN.stream().noneMatch((written) -> written.isAssignableFrom(raw))) {
			return "the codec does not write it (it writes numbers, strings, booleans, collections, maps, dates and"
					+ " java.time values, UUIDs, enums, errors, binary, records and JavaBeans)";
		}
		return null;
	}

	private static boolean isJdk(Class<?> type) {
		String name = type.getName();
		return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.");
	}

}
