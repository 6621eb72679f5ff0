package io.netron.stream;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

import io.netron.protocol.ValueConversionException;
import io.netron.protocol.ValueConverter;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Gives a stream the Java type a method declares: {@link NetronReadableStream},
 * {@link Flow.Publisher}, {@link Stream}, {@link Iterator}, (with Reactor) {@code Flux} or (with
 * kotlinx-coroutines-reactive) Kotlin's {@code Flow} of
 * {@code T} for a stream the peer writes (chunks converted to {@code T}),
 * {@link NetronWritableStream} for one it reads.
 */
public final class StreamAdapters {

	private static final boolean REACTOR = ClassUtils.isPresent("reactor.core.publisher.Flux",
			StreamAdapters.class.getClassLoader());

	/** Kotlin's Flow as a stream; its adapter class is not even loaded without it (nor without Reactor). */
	private static final boolean KOTLIN_FLOW = REACTOR && ClassUtils.isPresent("kotlinx.coroutines.reactive.ReactiveFlowKt",
			StreamAdapters.class.getClassLoader());

	private StreamAdapters() {
	}

	/**
	 * Whether values of a declared type are streams.
	 * @param type a declared type
	 * @return whether it is a stream type
	 */
	public static boolean isStreamType(Class<?> type) {
		return type == NetronReadableStream.class || type == NetronWritableStream.class || type == Stream.class
				|| type == Flow.Publisher.class || type == Iterator.class || (REACTOR && ReactorStreams.isFlux(type))
				|| (KOTLIN_FLOW && KotlinStreams.isFlowType(type));
	}

	/**
	 * Adapts a stream to a declared type.
	 * @param stream a Netron stream
	 * @param declared the declared type
	 * @param converter converts chunks to the element type
	 * @return the stream as the declared type
	 */
	public static @Nullable Object adapt(Object stream, Type declared, ValueConverter converter) {
		Class<?> raw = rawClass(declared);
		if (stream instanceof NetronWritableStream<?> writer) {
			if (raw == Object.class || raw == NetronWritableStream.class) {
				return writer;
			}
			throw new ValueConversionException("Cannot convert a writable stream to " + declared.getTypeName());
		}
		NetronReadableStream<?> reader = (NetronReadableStream<?>) stream;
		if (raw == Object.class) {
			return reader;
		}
		Type element = (declared instanceof ParameterizedType parameterized) ? parameterized.getActualTypeArguments()[0]
				: Object.class;
		NetronReadableStream<?> typed = (element == Object.class || rawClass(element) == Object.class) ? reader
				: reader.map((value) -> converter.convert(value, element));
		if (raw == NetronReadableStream.class || raw == Flow.Publisher.class) {
			return typed;
		}
		if (raw == Stream.class) {
			return typed.stream();
		}
		if (raw == Iterator.class) {
			return typed.iterator();
		}
		if (REACTOR && ReactorStreams.isFlux(raw)) {
			return ReactorStreams.toFlux(typed);
		}
		if (KOTLIN_FLOW && KotlinStreams.isFlowType(raw)) {
			return KotlinStreams.toFlow(typed);
		}
		throw new ValueConversionException("Cannot convert a readable stream to " + declared.getTypeName()
				+ ": declare NetronReadableStream, Flow.Publisher, Stream or Iterator");
	}

	/**
	 * A value to send as a stream, or {@code null} when it is not one (publishers and Java streams are wrapped).
	 * @param value an argument or result
	 * @return the stream to send, or {@code null}
	 */
	public static @Nullable Object asOutgoing(@Nullable Object value) {
		if (value instanceof NetronWritableStream<?> || value instanceof NetronReadableStream<?>) {
			return value;
		}
		if (value instanceof Flow.Publisher<?> publisher) {
			return NetronWritableStream.from(publisher);
		}
		if (value instanceof Stream<?> stream) {
			return NetronWritableStream.from(stream);
		}
		if (REACTOR && value != null && ReactorStreams.isPublisher(value)) {
			return ReactorStreams.wrap(value);
		}
		if (KOTLIN_FLOW && KotlinStreams.isFlow(value)) {
			return KotlinStreams.fromFlow(value);
		}
		return null;
	}

	private static Class<?> rawClass(Type type) {
		if (type instanceof Class<?> clazz) {
			return clazz;
		}
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> clazz) {
			return clazz;
		}
		return Object.class;
	}

}
