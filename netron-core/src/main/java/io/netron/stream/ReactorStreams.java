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

	/**
	 * The chunks of a reading stream as a {@link Flux} (backpressure carries over).
	 * @param <T> the chunk type
	 * @param stream the stream
	 * @return a Flux of its chunks
	 */
	public static <T> Flux<T> toFlux(NetronReadableStream<T> stream) {
		return JdkFlowAdapter.flowPublisherToFlux(stream);
	}

	/**
	 * A writing stream fed by a Reactive Streams publisher such as a {@link Flux}.
	 * @param <T> the chunk type
	 * @param publisher the items
	 * @return a stream that writes them
	 */
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
