package io.netron.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.JsError;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node-wide memory budget ({@code netron.server.max-buffered-bytes}) over real connections,
 * on a node given 16 MB: messages being assembled, what frames decode to and requests waiting for
 * their answer all draw from it; past it the heaviest connection goes (1013) or the request is
 * refused, everyone else is served, and every byte is given back.
 */
class MemoryBudgetTests {

	private static final long BUDGET = 16L << 20;

	private static final PacketCodec codec = new PacketCodec();

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	private static Netron node;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { Sink.class }, "netron.server.max-buffered-bytes=16MB");
		node = TestNodes.netron(server);
		assertThat(node.memory().limit()).isEqualTo(BUDGET);
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@AfterEach
	void everythingGivenBack() {
		server.getBean(Sink.class).release();
		// a closed connection's send buffer stays counted until it is collected (or the send time limit
		// and 5 s have passed): a collection lets the count reach zero
		await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			System.gc();
			assertThat(node.memory().used()).as(() -> "held by " + node.memory().heaviest(10)).isZero();
		});
	}

	@Test
	void messagesAssembledTogetherPastTheBudgetCloseTheHeaviestAndTheNodeServesOn() throws Exception {
		List<RawWebSocket> senders = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			RawWebSocket socket = new RawWebSocket(TestNodes.url(server) + "?id=assembler-" + i);
			assertThat(socket.next()).isInstanceOf(String.class);
			senders.add(socket);
		}
		// four 6 MB messages (each under the 64 MB message limit), their first 5 MB sent by all before any
		// is finished: 20 MB being assembled for a 16 MB budget
		byte[] frame = call(1, "size", "x".repeat(6 << 20));
		byte[] head = Arrays.copyOf(frame, 5 << 20);
		byte[] tail = Arrays.copyOfRange(frame, 5 << 20, frame.length);
		for (RawWebSocket socket : senders) {
			if (!socket.closeCode.isDone()) {
				try {
					socket.sendPart(head, false);
				}
				catch (RuntimeException closed) {
					// evicted while sending
				}
			}
		}
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> senders.stream().anyMatch((socket) -> socket.closeCode.isDone()));
		List<RawWebSocket> evicted = senders.stream().filter((socket) -> socket.closeCode.isDone()).toList();
		// the heaviest, and the one whose part found no room while the evicted were still closing
		assertThat(evicted).isNotEmpty().allSatisfy((socket) -> assertThat(socket.closeCode.join()).isEqualTo(1013));
		// the others finish their message: each has its one answer (served, or refused for memory), or
		// its connection is closed with 1013 to make room
		try {
			for (RawWebSocket socket : senders) {
				if (evicted.contains(socket)) {
					continue;
				}
				try {
					socket.sendPart(tail, true);
				}
				catch (RuntimeException closed) {
					// evicted meanwhile
				}
				await().atMost(10, TimeUnit.SECONDS).until(() -> !socket.frames.isEmpty() || socket.closeCode.isDone());
				Object answer = socket.frames.poll();
				if (answer == null) {
					assertThat(socket.closeCode.join()).isEqualTo(1013);
				}
				else if (codec.decode((byte[]) answer).data() instanceof JsError error) {
					assertThat(error.getMessage()).contains("memory budget");
				}
				else {
					assertThat(codec.decode((byte[]) answer).data()).isEqualTo(6 << 20);
				}
			}
		}
		finally {
			senders.forEach(RawWebSocket::close);
		}
		assertFreshClientServed();
	}

	/**
	 * One frame larger than the budget, sent whole: the node never gathers it. Tomcat hands it over
	 * in parts, each drawn from the budget; Netty's decoder gathers a frame whole before Netron sees
	 * it, so there it is drawn as its header arrives. Either way its connection closes with 1013.
	 */
	@Test
	void aSingleFrameLargerThanTheBudgetClosesItsConnectionBeforeItIsGathered() throws Exception {
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.connect(new java.net.InetSocketAddress("127.0.0.1", TestNodes.port(server)), 5000);
			socket.setSoTimeout(15_000);
			java.io.OutputStream out = socket.getOutputStream();
			assertThat(RawWebSocket.upgrade(socket, "one-big-frame")).startsWith("HTTP/1.1 101");
			java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
			// a binary frame of 20 MB (the budget is 16), masked with the zero key, sent as fast as it goes
			long length = 20L << 20;
			CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
				try {
					out.write(java.nio.ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127)).putLong(length).array());
					out.write(new byte[4]);
					byte[] chunk = new byte[64 << 10];
					for (long sent = 0; sent < length; sent += chunk.length) {
						out.write(chunk);
					}
				}
				catch (java.io.IOException closed) {
					// closed by the node
				}
			});
			// the node's frames: its id (text), then the close
			int closeCode = -1;
			while (closeCode < 0) {
				int first = in.readUnsignedByte();
				int size = in.readUnsignedByte() & 0x7f;
				long payload = (size == 126) ? in.readUnsignedShort() : (size == 127) ? in.readLong() : size;
				byte[] data = new byte[(int) payload];
				in.readFully(data);
				if ((first & 0x0f) == 0x8) {
					closeCode = ((data[0] & 0xff) << 8) | (data[1] & 0xff);
				}
				else {
					assertThat(first & 0x0f).as("only the id frame comes before the close").isEqualTo(0x1);
				}
			}
			assertThat(closeCode).isEqualTo(1013);
			socket.close();
			sending.get(15, TimeUnit.SECONDS);
		}
		assertFreshClientServed();
	}

	@Test
	void aFrameThatWouldDecodeToMoreThanTheNodeHasLeftIsRefusedWithoutDecodingIt() throws Exception {
		try (RawWebSocket socket = new RawWebSocket(TestNodes.url(server) + "?id=empty-maps")) {
			assertThat(socket.next()).isInstanceOf(String.class);
			// 2 MB of empty maps: 2 MB on the wire, about 150 MB as Java maps
			byte[] maps = new byte[2 << 20];
			Arrays.fill(maps, (byte) 0x80);
			// the packet header (id 7, a CALL request), then an array32 of the maps as its data
			byte[] header = codec.encode(Packet.request(7, PacketType.CALL, List.of()));
			socket.send(java.nio.ByteBuffer.allocate(10 + maps.length)
				.put(header, 0, 5)
				.put((byte) 0xdd)
				.putInt(maps.length)
				.put(maps)
				.array());
			Packet answer = response(socket);
			assertThat(answer.id()).isEqualTo(7);
			assertThat(((JsError) answer.data()).getMessage()).contains("the node has left of its memory budget",
					"netron.server.max-buffered-bytes");
			// the connection serves on
			socket.send(call(8, "size", "abc"));
			assertThat(response(socket).data()).isEqualTo(3);
		}
		assertFreshClientServed();
	}

	@Test
	void requestsWaitingForTheirAnswerPastTheBudgetAreRefusedAsOverloaded() throws Exception {
		Sink sink = server.getBean(Sink.class);
		sink.hold();
		try (RawWebSocket socket = new RawWebSocket(TestNodes.url(server) + "?id=holder")) {
			assertThat(socket.next()).isInstanceOf(String.class);
			String three = "y".repeat(3 << 20);
			for (int id = 1; id <= 8; id++) {
				socket.send(call(id, "held", three));
			}
			// 8 requests of about 6 MB each (frame and string) for 16 MB: the first are held, the rest refused
			List<Packet> refused = new ArrayList<>();
			await().atMost(10, TimeUnit.SECONDS).until(() -> {
				Object frame = socket.frames.poll(100, TimeUnit.MILLISECONDS);
				if (frame instanceof byte[] bytes) {
					refused.add(codec.decode(bytes));
				}
				return refused.size() >= 5;
			});
			assertThat(node.memory().used()).isLessThanOrEqualTo(BUDGET);
			// who holds it is told: the one connection, open, holding about the held requests
			assertThat(node.memory().heaviest(5)).singleElement().satisfies((holding) -> {
				assertThat(holding.owner()).contains("holder");
				assertThat(holding.state()).isEqualTo("open");
				assertThat(holding.bytes()).isGreaterThan(6L << 20);
			});
			sink.release();
			List<Object> answered = new ArrayList<>();
			while (answered.size() + refused.size() < 8) {
				Packet answer = response(socket);
				if (answer.data() instanceof JsError) {
					refused.add(answer);
				}
				else {
					answered.add(answer.data());
				}
			}
			assertThat(refused).allSatisfy((packet) -> assertThat(((JsError) packet.data()).getMessage())
				.contains("is over its memory budget of " + BUDGET + " bytes (netron.server.max-buffered-bytes)"));
			assertThat(answered).isNotEmpty().containsOnly(3 << 20);
			assertThat(socket.closeCode).isNotDone();
		}
	}

	/**
	 * A budget filled to its last bytes by requests waiting for their answer still serves a small
	 * call, and evicts nobody for it: a small draw may go into the headroom above the limit, and so
	 * must what its frame decodes to and the answer sent for it. Seen when 16 frames of empty maps
	 * had filled the budget: a fresh client's 37-byte frame was refused as decoding to "more than the
	 * 37 bytes of objects the node has left" (the decoding was capped at what was left below the
	 * limit), and a small answer sent past the limit closed the heaviest connection.
	 */
	@Test
	void aSmallCallIsServedAndNobodyEvictedWhenTheBudgetIsFilledToItsLastBytes() throws Exception {
		Sink sink = server.getBean(Sink.class);
		sink.hold();
		try (RawWebSocket socket = new RawWebSocket(TestNodes.url(server) + "?id=filler")) {
			assertThat(socket.next()).isInstanceOf(String.class);
			// held requests of halving sizes, each held or refused, until one small enough to go into
			// the headroom above the limit has done so (or one character is what is left to send)
			int refusedCount = 0;
			long id = 0;
			for (int size = 4 << 20; size > 0 && node.memory().used() <= BUDGET; ) {
				long before = node.memory().used();
				socket.send(call(++id, "held", "h".repeat(size)));
				await().atMost(10, TimeUnit.SECONDS)
					.until(() -> !socket.frames.isEmpty() || node.memory().used() > before || socket.closeCode.isDone());
				assertThat(socket.closeCode).as("the filler is not evicted").isNotDone();
				if (socket.frames.poll() instanceof byte[] refused) {
					assertThat(((JsError) codec.decode(refused).data()).getMessage()).contains("memory budget");
					refusedCount++;
					size /= 2;
				}
			}
			assertThat(refusedCount).isPositive();
			assertThat(node.memory().used()).isGreaterThan(BUDGET - 1024);
			// a call of 1 KB: more than is left below the limit, frame and objects
			RemotePeer fresh = nodes.client().connect(TestNodes.url(server)).join();
			String kilobyte = "k".repeat(1024);
			assertThat(fresh.queryInterface("sink@1.0.0").call("size", kilobyte).get(10, TimeUnit.SECONDS)).isEqualTo(1024);
			fresh.disconnect();
			sink.release();
			// the held ones are answered, the filler still connected
			for (long answered = 0; answered < id - refusedCount; answered++) {
				assertThat(response(socket).data()).isInstanceOf(Integer.class);
			}
			assertThat(socket.closeCode).isNotDone();
		}
	}

	/**
	 * Peers that call and never read their answers: what waits to be sent to them counts too, so
	 * together they cannot make the node hold more than its budget though each stays under its own
	 * send buffer (16 MB): their later requests are refused, and a newcomer who needs room gets it
	 * by the heaviest being closed with 1013.
	 */
	@Test
	void answersPilingUpForPeersThatDoNotReadCountAgainstTheBudget() throws Exception {
		List<java.net.Socket> readers = new ArrayList<>();
		try {
			String big = "z".repeat(1 << 20);
			for (int peer = 0; peer < 6; peer++) {
				java.net.Socket socket = new java.net.Socket();
				socket.setReceiveBufferSize(16 * 1024);
				socket.connect(new java.net.InetSocketAddress("127.0.0.1", TestNodes.port(server)), 5000);
				readers.add(socket);
				String id = "no-reader-" + peer;
				socket.getOutputStream().write(("GET /netron?id=" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
						+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\n"
						+ "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
				await().atMost(5, TimeUnit.SECONDS).until(() -> node.peers().stream().anyMatch((p) -> p.id().equals(id)));
				// 8 answers of 1 MB each for this peer: 48 MB in all for a 16 MB budget
				for (int call = 1; call <= 8; call++) {
					try {
						socket.getOutputStream().write(RawWebSocket.maskedBinary(call(call, "echo", big)));
					}
					catch (java.io.IOException closed) {
						break;
					}
				}
			}
			// what the node holds for them stays within the budget (their later requests are refused)
			await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
				node.memory().refresh();
				assertThat(node.memory().used()).isGreaterThan(leastHeldForPeersThatDoNotRead()).isLessThanOrEqualTo(BUDGET);
			});
			// a newcomer whose request does not fit in what is left makes room: the heaviest goes, and
			// once its connection has closed (its memory counted until then) the newcomer is served
			RemotePeer fresh = nodes.client().connect(TestNodes.url(server)).join();
			String large = "q".repeat(1 << 20);
			await().atMost(10, TimeUnit.SECONDS).ignoreExceptions().untilAsserted(
					() -> assertThat(fresh.queryInterface("sink@1.0.0").call("size", large).join()).isEqualTo(1 << 20));
			assertThat(node.peers().stream().filter((p) -> p.id().startsWith("no-reader-")).count()).isLessThan(6);
			fresh.disconnect();
		}
		finally {
			for (java.net.Socket socket : readers) {
				socket.close();
			}
		}
	}

	/**
	 * Services peers expose through the node draw their definitions' size from the budget through
	 * the owner's connection until withdrawn, and all together take at most an eighth of it (every
	 * seed-era newcomer's handshake answer lists them): five peers each exposing as much as the
	 * per-peer caps allow (64 services of about 60 KB) would hold 19 MB, more than the whole 16 MB
	 * budget. Past the eighth an exposure is refused as overloaded; a withdrawn service gives its
	 * bytes back, and newcomers are served throughout.
	 */
	@Test
	void exposedDefinitionsDrawFromTheBudgetUntilWithdrawn() throws Exception {
		String type = "T".repeat(30_000);
		List<RemotePeer> peers = new ArrayList<>();
		List<Throwable> refusals = new ArrayList<>();
		// all connected first: a seed-era handshake's answer lists every service exposed, as large as they are
		for (int p = 0; p < 5; p++) {
			peers.add(nodes.client().connect(TestNodes.url(server)).join());
		}
		try {
			for (int p = 0; p < 5; p++) {
				RemotePeer peer = peers.get(p);
				for (int s = 0; s < 64; s++) {
					try {
						peer.runTask("expose_service", java.util.Map.of("name", "bulk-" + p + "-" + s, "version", "1.0.0",
								"properties", java.util.Map.of(), "methods",
								java.util.Map.of("fetch", java.util.Map.of("type", type, "arguments", List.of()))))
							.get(5, TimeUnit.SECONDS);
					}
					catch (java.util.concurrent.ExecutionException ex) {
						refusals.add(Failures.unwrap(ex));
					}
				}
				assertThat(node.memory().used()).isLessThanOrEqualTo(BUDGET + BUDGET / 16);
			}
			assertThat(refusals).isNotEmpty().allSatisfy((refusal) -> assertThat(refusal)
				.isInstanceOf(RemoteOverloadedException.class)
				.hasMessageContaining("would take more than an eighth of its memory budget of " + BUDGET + " bytes"));
			long exposed = node.localPeer().serviceNames().stream().filter((name) -> name.startsWith("bulk-")).count();
			assertThat(exposed * 60_000).isLessThanOrEqualTo(BUDGET / 8);
			assertThat(node.memory().used()).isGreaterThanOrEqualTo(exposed * 60_000);
			assertFreshClientServed();
			// a withdrawn service gives back what its definition took (about 60 KB; other traffic moves the
			// count by a few hundred bytes meanwhile)
			int owner = java.util.stream.IntStream.range(0, peers.size())
				.filter((p) -> peers.get(p).isConnected() && node.localPeer().serviceNames().contains("bulk-" + p + "-0@1.0.0"))
				.findFirst()
				.orElseThrow();
			long before = node.memory().used();
			peers.get(owner).runTask("unexpose_service", "bulk-" + owner + "-0@1.0.0").get(5, TimeUnit.SECONDS);
			assertThat(before - node.memory().used()).isGreaterThan(50_000);
		}
		finally {
			peers.forEach(RemotePeer::disconnect);
		}
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(node.localPeer().serviceNames()).noneMatch((name) -> name.startsWith("bulk-")));
		assertFreshClientServed();
	}

	/**
	 * How much of the budget answers piling up for peers that do not read hold at least: half of it
	 * on Tomcat, which counts an evicted connection's queue until the write blocked on it gives up.
	 * @return the least number of bytes held
	 */
	long leastHeldForPeersThatDoNotRead() {
		return BUDGET / 2;
	}

	private static void assertFreshClientServed() {
		RemotePeer fresh = nodes.client().connect(TestNodes.url(server)).join();
		assertThat(fresh.queryInterface("sink@1.0.0").call("size", "fresh").join()).isEqualTo(5);
		fresh.disconnect();
	}

	private static byte[] call(long id, String method, String argument) {
		return codec.encode(Packet.request(id, PacketType.CALL, List.of("sink@1.0.0", method, argument)));
	}

	private static Packet response(RawWebSocket socket) throws InterruptedException {
		Object frame = socket.frames.poll(10, TimeUnit.SECONDS);
		assertThat(frame).as("an answer within 10 s").isInstanceOf(byte[].class);
		return codec.decode((byte[]) frame);
	}

	@NetronService("sink@1.0.0")
	public static class Sink {

		private volatile CountDownLatch gate = new CountDownLatch(0);

		void hold() {
			this.gate = new CountDownLatch(1);
		}

		void release() {
			this.gate.countDown();
		}

		@Public
		public int size(String text) {
			return text.length();
		}

		@Public
		public String echo(String text) {
			return text;
		}

		@Public
		public int held(String text) throws InterruptedException {
			this.gate.await(30, TimeUnit.SECONDS);
			return text.length();
		}

	}

}
