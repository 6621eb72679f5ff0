package io.netron.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.Undefined;
import io.netron.stream.NetronReadableStream;
import io.netron.stream.NetronWritableStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every request a node receives gets exactly one answer, and every in-flight count it takes
 * comes back when the request is answered or its connection closes, whatever the service did.
 */
class RequestAccountingTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { Faulty.class });
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@NetronService("faulty@1.0.0")
	static class Faulty {

		@Public
		public void fail(@Nullable String message) {
			throw JsError.of(JsErrorType.ERROR, message);
		}

		@Public
		public void failType(@Nullable String message) {
			throw JsError.of(JsErrorType.TYPE_ERROR, message);
		}

		@Public
		public CompletableFuture<Void> failAsync(@Nullable String message) {
			return CompletableFuture.runAsync(() -> {
				throw JsError.of(JsErrorType.RANGE_ERROR, message);
			});
		}

		@Public
		public void failUnprintably() {
			throw new IllegalStateException() {

				@Override
				public String getMessage() {
					throw new UnsupportedOperationException("no message for you");
				}

			};
		}

		@Public
		public CompletableFuture<Map<String, Object>> sumStream(NetronReadableStream<Number> stream) {
			double[] sum = new double[1];
			return stream.forEach((value) -> sum[0] += value.doubleValue()).thenApply((ignored) -> Map.of("sum", sum[0]));
		}

		/** Subscribes but never asks for a chunk: the stream's chunks pile up. */
		@Public
		public CompletableFuture<String> hold(NetronReadableStream<Object> stream) {
			CompletableFuture<String> outcome = new CompletableFuture<>();
			stream.subscribe(new java.util.concurrent.Flow.Subscriber<Object>() {

				@Override
				public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
				}

				@Override
				public void onNext(Object item) {
				}

				@Override
				public void onError(Throwable throwable) {
					outcome.completeExceptionally(throwable);
				}

				@Override
				public void onComplete() {
					outcome.complete("complete");
				}

			});
			return outcome;
		}

		@Public
		public CompletableFuture<String> never() {
			return new CompletableFuture<>();
		}

	}

	private static Netron serverNode() {
		return TestNodes.netron(server);
	}

	private static JsError remoteError(CompletableFuture<?> call) {
		Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> call.get(5, java.util.concurrent.TimeUnit.SECONDS));
		Throwable cause = Failures.unwrap(failure);
		assertThat(cause).isInstanceOf(RemoteInvocationException.class);
		return ((RemoteInvocationException) cause).error();
	}

	@Test
	void failuresWithoutAMessageAreAnsweredWithAnEmptyMessage() {
		RemotePeer peer = nodes.client().connect(TestNodes.url(server)).join();
		RemoteService faulty = peer.queryInterface("faulty@1.0.0");
		for (Object[] args : List.of(new Object[] { null }, new Object[0], new Object[] { Undefined.INSTANCE })) {
			JsError plain = remoteError(faulty.call("fail", args));
			assertThat(plain.name()).isEqualTo("Error");
			assertThat(plain.getMessage()).isEmpty();
			assertThat(plain.stack()).isEqualTo("Error: ");
			JsError type = remoteError(faulty.call("failType", args));
			assertThat(type.name()).isEqualTo("TypeError");
			assertThat(type.getMessage()).isEmpty();
			JsError async = remoteError(faulty.call("failAsync", args));
			assertThat(async.name()).isEqualTo("RangeError");
			assertThat(async.getMessage()).isEmpty();
		}
		peer.disconnect();
		await().atMost(Duration.ofSeconds(5)).until(() -> serverNode().requestsInFlight() == 0);
	}

	@Test
	void aFailureWhoseMessageCannotBeReadIsStillAnswered() {
		RemotePeer peer = nodes.client().connect(TestNodes.url(server)).join();
		JsError error = remoteError(peer.queryInterface("faulty@1.0.0").call("failUnprintably"));
		assertThat(error.getMessage()).endsWith("(its message cannot be sent)");
		assertThat(peer.queryInterface("faulty@1.0.0").call("sumStream", NetronWritableStream.from(List.of(1, 2).iterator()))
			.join()).isEqualTo(Map.of("sum", 3));
		peer.disconnect();
	}

	@Test
	void aStreamChunkOfTheWrongTypeFailsTheCallNamingTheStream() {
		RemotePeer peer = nodes.client().connect(TestNodes.url(server)).join();
		CompletableFuture<Object> call = peer.queryInterface("faulty@1.0.0")
			.call("sumStream", NetronWritableStream.from(List.<Object>of(1, "two", 3).iterator()));
		JsError error = remoteError(call);
		assertThat(error.getMessage()).startsWith("Stream ").contains("a chunk cannot be read").contains("two");
		peer.disconnect();
		await().atMost(Duration.ofSeconds(5)).until(() -> serverNode().requestsInFlight() == 0);
	}

	@Test
	void requestsNeverAnsweredByTheServiceAreReleasedWhenTheirConnectionCloses() {
		RemotePeer peer = nodes.client().connect(TestNodes.url(server)).join();
		try {
			// the connect's abilities request may still count for a moment after its answer arrived
			await().atMost(Duration.ofSeconds(5)).until(() -> serverNode().requestsInFlight() == 0);
			List<CompletableFuture<Object>> calls = java.util.stream.IntStream.range(0, 5)
				.mapToObj((i) -> peer.queryInterface("faulty@1.0.0").call("never"))
				.toList();
			await().atMost(Duration.ofSeconds(5)).until(() -> serverNode().requestsInFlight() == 5);
			peer.disconnect();
			await().atMost(Duration.ofSeconds(5)).until(() -> serverNode().requestsInFlight() == 0);
			assertThat(calls).allSatisfy((call) -> assertThat(call).isCompletedExceptionally());
		}
		finally {
			peer.disconnect();
		}
	}

	@Test
	void aFrameThatWouldDecodeToTooManyObjectsIsAnsweredAndTheConnectionKeepsServing() throws Exception {
		// 16 MiB of one-byte empty maps: unbounded, this took 1.6 GB of heap (the tests run on 1 GB)
		int count = 16 << 20;
		byte[] frame = new byte[10 + count];
		frame[3] = 5;
		frame[4] = 0x43; // request, CALL
		frame[5] = (byte) 0xdd;
		frame[6] = (byte) (count >>> 24);
		java.util.Arrays.fill(frame, 10, frame.length, (byte) 0x80);
		io.netron.protocol.PacketCodec codec = new io.netron.protocol.PacketCodec();
		try (RawWebSocket socket = new RawWebSocket(TestNodes.url(server) + "?id=greedy")) {
			assertThat(socket.next()).isInstanceOf(String.class);
			socket.send(frame);
			io.netron.protocol.Packet reply = codec.decode((byte[]) socket.next());
			assertThat(reply.id()).isEqualTo(5);
			assertThat(reply.isError()).isTrue();
			// the node's memory budget (an eighth of the 1 GB heap) is reached before the frame's own bound
			assertThat(((JsError) reply.data()).getMessage()).startsWith("Request 5 refused: node ")
				.contains("is over its memory budget of ", "Frame of 16777226 bytes decodes to more than the ");
			socket.send(codec.encode(io.netron.protocol.Packet.request(6, io.netron.protocol.PacketType.TASK,
					List.of("abilities", Map.of()))));
			io.netron.protocol.Packet abilities = codec.decode((byte[]) socket.next());
			assertThat(abilities.id()).isEqualTo(6);
			assertThat(abilities.isError()).isFalse();
		}
	}

	@Test
	void chunksOfStreamsNobodyAnnouncedAreBoundedInBytesPerConnection() throws Exception {
		ConfigurableApplicationContext small = nodes.server(new Class<?>[] { Faulty.class },
				"netron.stream-max-buffered-bytes=8MB");
		io.netron.protocol.PacketCodec codec = new io.netron.protocol.PacketCodec();
		try (RawWebSocket socket = new RawWebSocket(TestNodes.url(small) + "?id=hoarder")) {
			assertThat(socket.next()).isInstanceOf(String.class);
			for (int stream = 1; stream <= 40; stream++) {
				socket.send(codec.encode(io.netron.protocol.Packet.streamChunk(stream, stream, 0, new byte[1 << 20], false, true)));
			}
			socket.send(codec.encode(io.netron.protocol.Packet.request(99, io.netron.protocol.PacketType.TASK,
					List.of("abilities", Map.of()))));
			assertThat(codec.decode((byte[]) socket.next()).id()).isEqualTo(99);
			RemotePeer hoarder = TestNodes.netron(small).peer("hoarder").orElseThrow();
			// the chunks that fit stay for readers announced later; the others' streams failed
			assertThat(hoarder.streams().bufferedBytes()).isPositive().isLessThanOrEqualTo(8L << 20);
			assertThat(hoarder.streams().openStreams()).isLessThan(8);
		}
	}

	@Test
	void aStreamWhoseReaderDoesNotReadFailsPastTheByteLimitAndGivesItsBytesBack() {
		ConfigurableApplicationContext small = nodes.server(new Class<?>[] { Faulty.class },
				"netron.stream-max-buffered-bytes=8MB");
		RemotePeer peer = nodes.client().connect(TestNodes.url(small)).join();
		List<byte[]> megabytes = java.util.stream.IntStream.range(0, 20).mapToObj((i) -> new byte[1 << 20]).toList();
		CompletableFuture<Object> call = peer.queryInterface("faulty@1.0.0")
			.call("hold", NetronWritableStream.from(megabytes.iterator()));
		JsError error = remoteError(call);
		assertThat(error.getMessage()).contains("overflow: more than 8388608 bytes of stream chunks wait to be read "
				+ "on this connection (netron.stream-max-buffered-bytes)");
		RemotePeer served = TestNodes.netron(small).peers().iterator().next();
		assertThat(served.streams().bufferedBytes()).isZero();
		peer.disconnect();
	}

}
