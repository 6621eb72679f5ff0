package io.netron.stream;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import org.springframework.util.ClassUtils;

/**
 * Kotlin's {@code Flow} as a stream, when kotlinx-coroutines-reactive is on the class path: a
 * service returning a {@code Flow<T>} writes its items as a stream, and a client declaring
 * {@code Flow<T>} reads one. Loaded only when both are present (see StreamAdapters); touches
 * their classes only through {@link Delegate}.
 */
final class KotlinStreams {

	static final String FLOW = "kotlinx.coroutines.flow.Flow";

	private static final Class<?> FLOW_TYPE = ClassUtils.resolveClassName(FLOW, KotlinStreams.class.getClassLoader());

	private KotlinStreams() {
	}

	static boolean isFlowType(Class<?> type) {
		return type == FLOW_TYPE;
	}

	static boolean isFlow(@Nullable Object value) {
		return FLOW_TYPE.isInstance(value);
	}

	/** {@return the chunks of a reading stream as a Flow} */
	static Object toFlow(NetronReadableStream<?> stream) {
		return Delegate.toFlow(stream);
	}

	/** {@return a writing stream of a Flow's items} */
	static NetronWritableStream<Object> fromFlow(Object flow) {
		return Delegate.fromFlow(flow);
	}

	/** Names Reactor's and Kotlin's classes: loaded only when both are present. */
	private static final class Delegate {

		@SuppressWarnings("unchecked")
		static Object toFlow(NetronReadableStream<?> stream) {
			Publisher<?> publisher = ReactorStreams.toFlux(stream);
			return kotlinx.coroutines.reactive.ReactiveFlowKt.asFlow((Publisher<Object>) publisher);
		}

		@SuppressWarnings("unchecked")
		static NetronWritableStream<Object> fromFlow(Object flow) {
			Publisher<Object> publisher = kotlinx.coroutines.reactive.ReactiveFlowKt.asPublisher(
					(kotlinx.coroutines.flow.Flow<Object>) flow, kotlin.coroutines.EmptyCoroutineContext.INSTANCE);
			return ReactorStreams.wrap(publisher);
		}

	}

}
