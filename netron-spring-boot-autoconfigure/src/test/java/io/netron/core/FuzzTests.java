package io.netron.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.Definition;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import io.netron.protocol.StreamReference;
import io.netron.stream.NetronReadableStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 200,000 mutated frames (seeded) against a real node over real WebSockets: the node logs no
 * error or stack trace, no thread dies of an uncaught exception, and once the connections close
 * no request is left counted in flight.
 */
class FuzzTests {

	private static final long SEED = 20261126L;

	private static final int FRAMES = 200_000;

	private static final int CONNECTIONS = 8;

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { Target.class });
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@NetronService("target@1.0.0")
	static class Target {

		@Public
		public double counter;

		@Public(readonly = true)
		public String version = "1.0.0";

		@Public
		public double add(double a, double b) {
			return a + b;
		}

		@Public
		public @Nullable Object echo(@Nullable Object value) {
			return value;
		}

		@Public
		public void fail(@Nullable String message) {
			throw JsError.of(JsErrorType.TYPE_ERROR, message);
		}

		@Public
		public CompletableFuture<Double> sum(NetronReadableStream<Number> numbers) {
			double[] total = new double[1];
			return numbers.forEach((n) -> total[0] += n.doubleValue()).thenApply((ignored) -> total[0]);
		}

	}

	/** Counts log events that are errors or carry a stack trace. */
	static final class Failures extends AppenderBase<ILoggingEvent> {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@Override
		protected void append(ILoggingEvent event) {
			if (event.getLevel().isGreaterOrEqual(Level.ERROR) || event.getThrowableProxy() != null) {
				if (this.seen.size() < 20) {
					this.seen.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage()
							+ ((event.getThrowableProxy() != null) ? " / " + event.getThrowableProxy().getClassName() + ": "
									+ event.getThrowableProxy().getMessage() : ""));
				}
				else {
					this.seen.set(19, "... and more");
				}
			}
		}

	}

	@Test
	void mutatedFramesLeaveNoErrorNoUncaughtExceptionAndNothingInFlight() throws Exception {
		PacketCodec codec = new PacketCodec();
		List<byte[]> corpus = corpus(codec, definitionId(codec));
		Failures failures = new Failures();
		ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory
			.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		failures.setContext(root.getLoggerContext());
		failures.start();
		root.addAppender(failures);
		List<String> uncaught = new CopyOnWriteArrayList<>();
		Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> uncaught.add(thread.getName() + ": " + ex));
		Random random = new Random(SEED);
		int answered = 0;
		try {
			for (int connection = 0; connection < CONNECTIONS; connection++) {
				try (RawWebSocket socket = new RawWebSocket(TestNodes.url(server) + "?id=fuzz-" + connection)) {
					assertThat(socket.next()).isInstanceOf(String.class);
					for (int i = 0; i < FRAMES / CONNECTIONS; i++) {
						socket.send(mutate(corpus.get(random.nextInt(corpus.size())), random));
					}
					// the node still answers on the abused connection
					socket.send(codec.encode(Packet.request(4_000_000_000L, PacketType.TASK, List.of("abilities", Map.of()))));
					await().atMost(Duration.ofSeconds(30)).until(() -> socket.frames.stream()
						.anyMatch((frame) -> frame instanceof byte[] bytes && isAnswerTo(codec, bytes, 4_000_000_000L)));
					answered += socket.frames.size();
				}
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> TestNodes.netron(server).requestsInFlight() == 0);
		}
		finally {
			root.detachAppender(failures);
			Thread.setDefaultUncaughtExceptionHandler(previous);
		}
		assertThat(answered).isGreaterThan(FRAMES / 10);
		assertThat(failures.seen).isEmpty();
		assertThat(uncaught).isEmpty();
		// and a well-behaved peer is served as before
		RemotePeer peer = nodes.client().connect(TestNodes.url(server)).join();
		assertThat(peer.queryInterface("target@1.0.0").call("add", 1, 2).join()).isEqualTo(3);
	}

	private static boolean isAnswerTo(PacketCodec codec, byte[] frame, long id) {
		try {
			return codec.decode(frame).id() == id;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static String definitionId(PacketCodec codec) throws InterruptedException {
		try (RawWebSocket socket = new RawWebSocket(TestNodes.url(server) + "?id=fuzz-setup")) {
			socket.next();
			socket.send(codec.encode(Packet.request(1, PacketType.TASK, List.of("abilities", Map.of()))));
			Map<?, ?> abilities = (Map<?, ?>) codec.decode((byte[]) socket.next()).data();
			return ((Definition) ((Map<?, ?>) abilities.get("services")).get("target@1.0.0")).id();
		}
	}

	/** Valid frames of every kind, the seeds of the mutations. */
	private static List<byte[]> corpus(PacketCodec codec, String defId) {
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("list", List.of(1, 2.5, "three", List.of(true, false)));
		nested.put("set", new LinkedHashSet<>(List.of("a", 1)));
		nested.put("when", Instant.parse("2026-11-26T10:00:00Z"));
		nested.put("big", new java.math.BigInteger("123456789012345678901234567890"));
		nested.put("bytes", new byte[] { 1, 2, 3 });
		List<Packet> packets = new ArrayList<>();
		packets.add(Packet.request(10, PacketType.CALL, List.of(defId, "add", 1, 2)));
		packets.add(Packet.request(11, PacketType.CALL, List.of(defId, "echo", nested)));
		packets.add(Packet.request(12, PacketType.CALL, List.of(defId, "fail", "boom")));
		packets.add(Packet.request(13, PacketType.GET, List.of(defId, "counter")));
		packets.add(Packet.request(14, PacketType.SET, List.of(defId, "counter", 5)));
		packets.add(Packet.request(15, PacketType.SET, List.of(defId, "version", "2")));
		packets.add(Packet.request(16, PacketType.TASK, List.of("abilities", Map.of("allowServiceEvents", true))));
		packets.add(Packet.request(17, PacketType.TASK, List.of("subscribe", "news")));
		packets.add(Packet.request(18, PacketType.TASK, List.of("unsubscribe", "news")));
		packets.add(Packet.request(19, PacketType.TASK, List.of("unref_service", defId)));
		packets.add(Packet.request(20, PacketType.CALL,
				List.of(defId, "sum", new StreamReference(7, StreamReference.StreamType.WRITABLE, false, "fuzz"))));
		packets.add(Packet.streamChunk(21, 7, 0, 1.5, false, false));
		packets.add(Packet.streamChunk(22, 7, 1, "not a number", false, false));
		packets.add(Packet.streamChunk(23, 7, 2, null, true, false));
		Map<String, Object> streamError = new LinkedHashMap<>();
		streamError.put("streamId", 7);
		streamError.put("message", "writer failed");
		packets.add(Packet.request(24, PacketType.STREAM_ERROR, streamError));
		List<byte[]> frames = new ArrayList<>();
		for (Packet packet : packets) {
			frames.add(codec.encode(packet));
		}
		return frames;
	}

	/** Flips, overwrites, inserts, deletes or truncates a few bytes; leaves some frames intact. */
	private static byte[] mutate(byte[] frame, Random random) {
		byte[] bytes = frame.clone();
		int mutations = random.nextInt(4);
		for (int m = 0; m < mutations && bytes.length > 0; m++) {
			int at = random.nextInt(bytes.length);
			switch (random.nextInt(5)) {
				case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
				case 1 -> bytes[at] = (byte) random.nextInt(256);
				case 2 -> {
					byte[] longer = new byte[bytes.length + 1];
					System.arraycopy(bytes, 0, longer, 0, at);
					longer[at] = (byte) random.nextInt(256);
					System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
					bytes = longer;
				}
				case 3 -> {
					byte[] shorter = new byte[bytes.length - 1];
					System.arraycopy(bytes, 0, shorter, 0, at);
					System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
					bytes = shorter;
				}
				default -> bytes = java.util.Arrays.copyOf(bytes, at);
			}
		}
		return bytes;
	}

}
