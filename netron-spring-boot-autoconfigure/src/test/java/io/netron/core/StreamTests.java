package io.netron.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.netron.NetronException;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.annotation.RemoteMethod;
import io.netron.stream.NetronReadableStream;
import io.netron.stream.NetronWritableStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Streams over a real WebSocket: results and arguments, both directions, errors, volume.
 */
class StreamTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	private static RemotePeer peer;

	private static StreamClient streams;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { Streamer.class });
		peer = nodes.client().connect(TestNodes.url(server)).join();
		streams = peer.queryInterface("streamer@1.0.0", StreamClient.class);
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@NetronService("streamer@1.0.0")
	static class Streamer {

		final AtomicReference<NetronWritableStream<Integer>> endless = new AtomicReference<>();

		@Public
		public NetronWritableStream<Integer> numbers(int n) {
			return NetronWritableStream.from(IntStream.range(0, n).boxed().iterator());
		}

		@Public
		public Stream<String> words() {
			return Stream.of("alpha", "beta", "gamma");
		}

		@Public
		public NetronWritableStream<Integer> failing(int n) {
			NetronWritableStream<Integer> stream = NetronWritableStream.create();
			CompletableFuture.runAsync(() -> {
				await().atMost(Duration.ofSeconds(5)).until(() -> stream.id() != 0);
				for (int i = 0; i < n; i++) {
					stream.write(i);
				}
				stream.error(new IllegalStateException("source broke"));
			});
			return stream;
		}

		@Public
		public NetronWritableStream<Integer> endless() {
			NetronWritableStream<Integer> stream = NetronWritableStream.createLive();
			this.endless.set(stream);
			return stream;
		}

		@Public
		public CompletableFuture<Map<String, Object>> sum(NetronReadableStream<Integer> stream) {
			long[] totals = new long[2];
			return stream.forEach((value) -> {
				totals[0]++;
				totals[1] += value;
			}).thenApply((ignored) -> Map.of("count", totals[0], "sum", totals[1]));
		}

		@Public
		public CompletableFuture<Integer> fill(NetronWritableStream<String> target, int n) {
			for (int i = 0; i < n; i++) {
				target.write("line " + i);
			}
			target.end();
			return CompletableFuture.completedFuture(n);
		}

	}

	interface StreamClient {

		NetronReadableStream<Integer> numbers(int n);

		@RemoteMethod("numbers")
		Stream<Integer> numbersAsStream(int n);

		@RemoteMethod("numbers")
		Flow.Publisher<Long> numbersAsLongs(int n);

		@RemoteMethod("numbers")
		Iterator<Integer> numbersAsIterator(int n);

		List<String> words();

		@RemoteMethod("words")
		NetronReadableStream<String> wordStream();

		NetronReadableStream<Integer> failing(int n);

		NetronReadableStream<Integer> endless();

		Map<String, Object> sum(NetronWritableStream<Integer> numbers);

		@RemoteMethod("sum")
		Map<String, Object> sumPublisher(Flow.Publisher<Integer> numbers);

		int fill(NetronReadableStream<String> target, int n);

		@RemoteMethod("numbers")
		reactor.core.publisher.Flux<Integer> numbersAsFlux(int n);

		@RemoteMethod("sum")
		Map<String, Object> sumFlux(reactor.core.publisher.Flux<Integer> numbers);

	}

	@Test
	void streamResultArrivesCompleteAndInOrder() {
		assertThat(streams.numbers(10).toList().join()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
		assertThat(streams.numbersAsStream(5).toList()).containsExactly(0, 1, 2, 3, 4);
		List<Integer> fromIterator = new ArrayList<>();
		streams.numbersAsIterator(3).forEachRemaining(fromIterator::add);
		assertThat(fromIterator).containsExactly(0, 1, 2);
	}

	@Test
	void chunksAreConvertedToTheDeclaredElementType() throws Exception {
		List<Object> values = new ArrayList<>();
		CompletableFuture<Void> done = new CompletableFuture<>();
		streams.numbersAsLongs(3).subscribe(new Flow.Subscriber<Long>() {

			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				subscription.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(Long item) {
				values.add(item);
			}

			@Override
			public void onError(Throwable throwable) {
				done.completeExceptionally(throwable);
			}

			@Override
			public void onComplete() {
				done.complete(null);
			}

		});
		done.get(5, TimeUnit.SECONDS);
		assertThat(values).containsExactly(0L, 1L, 2L);
	}

	@Test
	void reactorFluxOnBothSides() {
		assertThat(streams.numbersAsFlux(4).collectList().block(Duration.ofSeconds(5))).containsExactly(0, 1, 2, 3);
		assertThat(streams.sumFlux(reactor.core.publisher.Flux.range(1, 10))).isEqualTo(Map.of("count", 10, "sum", 55));
	}

	@Test
	void javaStreamResultIsSentAsAStream() {
		assertThat(streams.wordStream().toList().join()).containsExactly("alpha", "beta", "gamma");
	}

	@Test
	void hundredThousandChunksArriveCompleteAndInOrder() {
		List<Integer> received = streams.numbers(100_000).toList().join();
		assertThat(received).hasSize(100_000);
		for (int i = 0; i < received.size(); i++) {
			if (received.get(i) != i) {
				throw new AssertionError("chunk " + i + " is " + received.get(i));
			}
		}
	}

	@Test
	void streamErrorCrossesTheWire() {
		assertThat(streams.failing(3).toList()).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(NetronException.class)
			.withMessage("source broke");
	}

	@Test
	void streamArgumentsGoFromCallerToService() {
		assertThat(streams.sum(NetronWritableStream.from(List.of(1, 2, 3, 4)))).isEqualTo(Map.of("count", 4, "sum", 10));
		SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>();
		CompletableFuture<Map<String, Object>> result = CompletableFuture.supplyAsync(() -> streams.sumPublisher(publisher));
		await().atMost(Duration.ofSeconds(5)).until(() -> publisher.getNumberOfSubscribers() == 1);
		for (int i = 1; i <= 100; i++) {
			publisher.submit(i);
		}
		publisher.close();
		assertThat(result.join()).isEqualTo(Map.of("count", 100, "sum", 5050));
	}

	@Test
	void readableArgumentLetsTheServiceWriteToTheCaller() {
		NetronReadableStream<String> lines = NetronReadableStream.create();
		CompletableFuture<List<String>> received = lines.toList();
		assertThat(streams.fill(lines, 3)).isEqualTo(3);
		assertThat(received.join()).containsExactly("line 0", "line 1", "line 2");
	}

	@Test
	void bothDirectionsAtOnce() {
		CompletableFuture<List<Integer>> down = streams.numbers(20_000).toList();
		Map<String, Object> up = streams.sum(NetronWritableStream.from(IntStream.rangeClosed(1, 20_000).boxed().iterator()));
		assertThat(up).isEqualTo(Map.of("count", 20_000, "sum", 200_010_000));
		assertThat(down.join()).hasSize(20_000);
	}

	@Test
	void writingToAPeerThatHasGoneFailsClearly() {
		Netron client = nodes.client();
		RemotePeer other = client.connect(TestNodes.url(server)).join();
		StreamClient otherStreams = other.queryInterface("streamer@1.0.0", StreamClient.class);
		NetronReadableStream<Integer> live = otherStreams.endless();
		CompletableFuture<List<Integer>> read = live.toList();
		Streamer streamer = server.getBean(Streamer.class);
		NetronWritableStream<Integer> writer = streamer.endless.get();
		writer.write(1);
		other.disconnect();
		assertThat(read).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(PeerDisconnectedException.class);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatExceptionOfType(NetronException.class)
			.isThrownBy(() -> writer.write(2))
			.withMessageStartingWith("Cannot write to stream " + writer.id() + ": ")
			.withMessageContaining("disconnected"));
		assertThat(writer.completion()).isCompletedExceptionally();
	}

}
