package io.netron.stream;

import org.reactivestreams.Publisher;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * Reactor views of Netron streams, for applications with reactor-core on the classpath. Proxy
 * and service methods may also declare {@code Flux<T>} results and parameters, and pass a
 * {@code Flux} where a stream is expected.
 */
public final class ReactorStreams {

	private ReactorStreams() {
	}

	/** The chunks of a reading stream as a {@link Flux} (backpressure carries over). */
	public static <T> Flux<T> toFlux(NetronReadableStream<T> stream) {
		return JdkFlowAdapter.flowPublisherToFlux(stream);
	}

	/** A writing stream fed by a Reactive Streams publisher such as a {@link Flux}. */
	public static <T> NetronWritableStream<T> fromPublisher(Publisher<? extends T> publisher) {
		return NetronWritableStream.from(JdkFlowAdapter.publisherToFlowPublisher(publisher));
	}

	static boolean isFlux(Class<?> type) {
		return type == Flux.class;
	}

	static boolean isPublisher(Object value) {
		return value instanceof Publisher<?>;
	}

	@SuppressWarnings("unchecked")
	static NetronWritableStream<Object> wrap(Object publisher) {
		return fromPublisher((Publisher<Object>) publisher);
	}

}
