package io.netron.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import io.netron.NetronException;
import io.netron.protocol.StreamReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reading side's reordering, limits and timeouts, fed packets directly (the wire tests are
 * in {@code io.netron.core.StreamTests}).
 */
class StreamRegistryTests {

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final List<String> sent = new CopyOnWriteArrayList<>();

	private final AtomicLong ids = new AtomicLong();

	@AfterEach
	void stop() {
		this.scheduler.shutdownNow();
	}

	private StreamRegistry registry(StreamSettings settings) {
		return new StreamRegistry(new Recording(), settings, this.ids::incrementAndGet);
	}

	private StreamRegistry registry() {
		return registry(new StreamSettings(Duration.ofSeconds(30), 100_000, 1 << 20));
	}

	@SuppressWarnings("unchecked")
	private static NetronReadableStream<Object> reader(StreamRegistry registry, long id) {
		return (NetronReadableStream<Object>) registry.open(new StreamReference(id, StreamReference.StreamType.WRITABLE, false, "p"));
	}

	@Test
	void chunksOutOfOrderAreDeliveredInOrder() {
		StreamRegistry registry = registry();
		NetronReadableStream<Object> stream = reader(registry, 7);
		registry.onChunk(7, 2, "c", false, false, 16);
		registry.onChunk(7, 0, "a", false, false, 16);
		registry.onChunk(7, 3, null, true, false, 16);
		registry.onChunk(7, 1, "b", false, false, 16);
		assertThat(stream.toList().join()).containsExactly("a", "b", "c");
	}

	@Test
	void endOfStreamBeforeMissingChunksWaitsForThem() {
		StreamRegistry registry = registry();
		NetronReadableStream<Object> stream = reader(registry, 7);
		registry.onChunk(7, 2, null, true, false, 16);
		registry.onChunk(7, 1, "b", false, false, 16);
		assertThat(stream.toList()).isNotDone();
		registry.onChunk(7, 0, "a", false, false, 16);
		await().atMost(Duration.ofSeconds(5)).until(() -> registry.openStreams() == 0);
	}

	@Test
	void packetForUnknownIdCreatesTheStreamAndTheReferenceAdoptsIt() {
		StreamRegistry registry = registry();
		registry.onChunk(9, 0, "early", false, false, 16);
		NetronReadableStream<Object> stream = reader(registry, 9);
		registry.onChunk(9, 1, null, true, false, 16);
		assertThat(stream.toList().join()).containsExactly("early");
	}

	@Test
	void nullChunksAndStreamIdZero() {
		StreamRegistry registry = registry();
		registry.onChunk(0, 0, "ignored", false, false, 16);
		assertThat(registry.openStreams()).isZero();
		NetronReadableStream<Object> stream = reader(registry, 3);
		registry.onChunk(3, 0, null, false, false, 16);
		registry.onChunk(3, 1, null, true, false, 16);
		List<Object> items = new ArrayList<>();
		items.add("x");
		items.addAll(stream.toList().join());
		assertThat(items).containsExactly("x", null);
	}

	@Test
	void moreThanTenThousandOutOfOrderPacketsOverflow() {
		StreamRegistry registry = registry();
		NetronReadableStream<Object> stream = reader(registry, 5);
		for (int i = 1; i <= 10_000; i++) {
			registry.onChunk(5, i, i, false, false, 16);
		}
		assertThat(registry.openStreams()).isOne();
		registry.onChunk(5, 10_001, 0, false, false, 16);
		assertThat(stream.toList()).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(NetronException.class)
			.withMessage("Buffer overflow: more than 10000 packets buffered");
	}

	@Test
	void exactlyTenThousandOutOfOrderPacketsAreHeld() {
		StreamRegistry registry = registry();
		NetronReadableStream<Object> stream = reader(registry, 5);
		for (int i = 1; i <= 10_000; i++) {
			registry.onChunk(5, i, i, false, false, 16);
		}
		registry.onChunk(5, 0, 0, false, false, 16);
		registry.onChunk(5, 10_001, null, true, false, 16);
		assertThat(stream.toList().join()).hasSize(10_001);
	}

	@Test
	void nonLiveStreamFailsAfterInactivity() {
		StreamRegistry registry = registry(new StreamSettings(Duration.ofMillis(200), 100, 1 << 20));
		NetronReadableStream<Object> stream = reader(registry, 11);
		registry.onChunk(11, 0, "a", false, false, 16);
		assertThat(stream.toList()).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.withMessage("Stream 11 inactive for 200ms, closing.");
	}

	@Test
	void liveStreamSurvivesLongGaps() {
		StreamRegistry registry = registry(new StreamSettings(Duration.ofMillis(100), 100, 1 << 20));
		registry.onChunk(12, 0, "a", false, true, 16);
		@SuppressWarnings("unchecked")
		NetronReadableStream<Object> stream = (NetronReadableStream<Object>) registry
			.open(new StreamReference(12, StreamReference.StreamType.WRITABLE, true, "p"));
		var list = stream.toList();
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !list.isDone());
		registry.onChunk(12, 1, "b", false, true, 16);
		registry.onChunk(12, 2, null, true, true, 16);
		assertThat(list.join()).containsExactly("a", "b");
	}

	@Test
	void streamErrorFailsTheReaderWithTheWritersMessage() {
		StreamRegistry registry = registry();
		NetronReadableStream<Object> stream = reader(registry, 4);
		registry.onChunk(4, 0, "a", false, false, 16);
		registry.onError(Map.of("streamId", 4, "message", "Socket hang up"));
		assertThat(stream.toList()).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.withMessage("Socket hang up");
	}

	@Test
	void slowConsumerGetsChunksAsItRequestsThemAndDeliveryResumes() {
		StreamRegistry registry = registry();
		NetronReadableStream<Object> stream = reader(registry, 6);
		List<Object> received = new CopyOnWriteArrayList<>();
		Flow.Subscription[] subscription = new Flow.Subscription[1];
		stream.subscribe(new Flow.Subscriber<>() {

			@Override
			public void onSubscribe(Flow.Subscription s) {
				subscription[0] = s;
				s.request(1);
			}

			@Override
			public void onNext(Object item) {
				received.add(item);
			}

			@Override
			public void onError(Throwable throwable) {
				received.add(throwable);
			}

			@Override
			public void onComplete() {
				received.add("done");
			}

		});
		for (int i = 0; i < 5; i++) {
			registry.onChunk(6, i, i, false, false, 16);
		}
		registry.onChunk(6, 5, null, true, false, 16);
		await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> received.size() == 1);
		subscription[0].request(2);
		await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);
		subscription[0].request(10);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(received).containsExactly(0, 1, 2, 3, 4, "done"));
	}

	@Test
	void consumerThatDoesNotKeepUpFailsTheStreamAtTheBound() {
		StreamRegistry registry = registry(new StreamSettings(Duration.ofSeconds(30), 1000, 1 << 20));
		NetronReadableStream<Object> stream = reader(registry, 8);
		for (int i = 0; i <= 1000; i++) {
			registry.onChunk(8, i, i, false, false, 16);
		}
		for (int i = 1001; i < 50_000; i++) {
			registry.onChunk(8, i, i, false, false, 16);
		}
		assertThat(stream.toList()).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.withMessage("Stream 8 overflow: its consumer is too slow, more than 1000 chunks wait to be read "
					+ "(netron.stream-max-buffered-chunks)");
	}

	@Test
	void secondSubscriberIsRefused() {
		StreamRegistry registry = registry();
		NetronReadableStream<Object> stream = reader(registry, 13);
		stream.toList();
		assertThat(stream.toList()).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("Stream 13 already has a subscriber");
	}

	@Test
	void writerSendsIndexesThenTheEndPacketWithTheCount() {
		StreamRegistry registry = registry();
		NetronWritableStream<String> writer = NetronWritableStream.create();
		writer.write("queued before the stream is connected");
		StreamReference reference = registry.bind(writer, "reader");
		assertThat(reference.type()).isEqualTo(StreamReference.StreamType.WRITABLE);
		assertThat(reference.peerId()).isEqualTo("reader");
		assertThat(this.sent).isEmpty();
		registry.start(reference.streamId());
		writer.write("b");
		writer.end();
		assertThat(this.sent).containsExactly("chunk 1/0 queued before the stream is connected", "chunk 1/1 b",
				"end 1/2");
		assertThat(writer.completion()).isCompleted();
	}

	@Test
	void writerFromIterableSendsEverythingOnceStarted() {
		StreamRegistry registry = registry();
		NetronWritableStream<Integer> writer = NetronWritableStream.from(List.of(1, 2, 3));
		StreamReference reference = registry.bind(writer, "reader");
		registry.start(reference.streamId());
		writer.completion().join();
		assertThat(this.sent).containsExactly("chunk 1/0 1", "chunk 1/1 2", "chunk 1/2 3", "end 1/3");
	}

	@Test
	void writerErrorSendsStreamError() {
		StreamRegistry registry = registry();
		NetronWritableStream<Integer> writer = NetronWritableStream.create();
		registry.start(registry.bind(writer, "reader").streamId());
		writer.write(1);
		writer.error(new IllegalStateException("disk full"));
		assertThat(this.sent).containsExactly("chunk 1/0 1", "error 1 disk full");
		assertThat(writer.completion()).isCompletedExceptionally();
	}

	/** A transport that records what would go on the wire. */
	private final class Recording implements StreamTransport {

		@Override
		public String describe() {
			return "peer test";
		}

		@Override
		public boolean isConnected() {
			return true;
		}

		@Override
		public void sendChunk(long streamId, long index, @Nullable Object data, boolean endOfStream, boolean live) {
			StreamRegistryTests.this.sent.add(endOfStream ? "end " + streamId + "/" + index
					: "chunk " + streamId + "/" + index + " " + data);
		}

		@Override
		public void sendError(long streamId, String message) {
			StreamRegistryTests.this.sent.add("error " + streamId + " " + message);
		}

		@Override
		public long bufferedBytes() {
			return 0;
		}

		@Override
		public Executor executor() {
			return Runnable::run;
		}

		@Override
		public ScheduledExecutorService scheduler() {
			return StreamRegistryTests.this.scheduler;
		}

	}

}
