package io.netron.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import io.netron.transport.JdkWebSocketConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The load patterns that took a node down (issue 23), against a node in a JVM of its own with a
 * 512 MB heap and the default budget (a quarter of it): stream chunks nobody announced, peers that
 * call and never read, frames of empty maps as large as allowed, a peer exposing services by the
 * thousand; each alone, then all together. After each: the node is alive without an
 * {@link OutOfMemoryError}, a fresh client is served within a second, health answers UP, and the
 * heap after a collection is back near where it started. The attackers stream their bytes from
 * small buffers, so that this JVM holds little of what it sends.
 */
class NodeUnderAttackTests {

	private static final PacketCodec codec = new PacketCodec();

	private static Process node;

	private static int port;

	private static final StringBuffer output = new StringBuffer();

	/** The node checking the attacked one: its timeouts are what a newcomer would have. */
	private static Netron client;

	/** The node of the attacking peer that exposes services. */
	private static Netron attacker;

	private static long heapAtStart;

	@BeforeAll
	static void start() throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		node = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
				AttackedNodeApplication.class.getName(), "--server.port=0", "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off", "--logging.level.root=WARN", "--management.health.redis.enabled=false",
				"--netron.stream-timeout=2s")
			.redirectErrorStream(true)
			.start();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					output.append(line).append('\n');
				}
			}
			catch (IOException ex) {
				// the node ended
			}
		}, "attacked-node-output");
		reader.setDaemon(true);
		reader.start();
		await().atMost(60, TimeUnit.SECONDS).until(() -> output.indexOf("PORT=") >= 0 || !node.isAlive());
		assertThat(node.isAlive()).as(output.toString()).isTrue();
		String text = output.toString();
		port = Integer.parseInt(text.substring(text.indexOf("PORT=") + 5).lines().findFirst().orElseThrow().trim());
		client = new Netron(NetronOptions.defaults().withRequestTimeout(Duration.ofSeconds(10)),
				new JdkWebSocketConnector(64 << 20, 16 << 20));
		attacker = new Netron(NetronOptions.defaults().withRequestTimeout(Duration.ofSeconds(30))
			.withConnectTimeout(Duration.ofSeconds(60)), new JdkWebSocketConnector(64 << 20, 16 << 20));
		// serving once the whole context is up (the port is told a little before)
		await().atMost(30, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
			assertThat(node.isAlive()).as(output.toString()).isTrue();
			heapAtStart = heapAfterGc();
			return true;
		});
	}

	@AfterAll
	static void stop() throws Exception {
		if (client != null) {
			client.close();
		}
		if (attacker != null) {
			attacker.close();
		}
		if (node != null) {
			node.destroy();
			node.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void unannouncedStreamChunksFromTwentyConnections() throws Exception {
		run(NodeUnderAttackTests::unannouncedChunks);
		assertRecovered("unannounced stream chunks");
	}

	@Test
	void peersThatCallAndNeverRead() throws Exception {
		run(NodeUnderAttackTests::neverReading);
		assertRecovered("peers that never read");
	}

	@Test
	void largestFramesOfEmptyMaps() throws Exception {
		run(NodeUnderAttackTests::emptyMaps);
		assertRecovered("frames of empty maps");
	}

	@Test
	void aPeerExposingServicesByTheThousand() throws Exception {
		run(NodeUnderAttackTests::exposingThousands);
		assertRecovered("services by the thousand");
	}

	@Test
	void allTogether() throws Exception {
		run(NodeUnderAttackTests::unannouncedChunks, NodeUnderAttackTests::neverReading, NodeUnderAttackTests::emptyMaps,
				NodeUnderAttackTests::exposingThousands);
		assertRecovered("all patterns together");
	}

	// ------------------------------------------------------------------ patterns

	/** 20 connections, each sending 60 MB of 1 MB chunks for a stream nobody announced. */
	private static List<Socket> unannouncedChunks() throws Exception {
		byte[] chunk = new byte[1 << 20];
		List<Socket> sockets = new ArrayList<>();
		List<CompletableFuture<?>> sending = new ArrayList<>();
		for (int c = 0; c < 20; c++) {
			Socket socket = upgrade("chunks-" + c);
			sockets.add(socket);
			sending.add(CompletableFuture.runAsync(() -> {
				try {
					OutputStream out = socket.getOutputStream();
					for (int index = 0; index < 60; index++) {
						out.write(RawWebSocket.maskedBinary(codec.encode(Packet.streamChunk(index + 1, 77, index, chunk, false, false))));
					}
				}
				catch (IOException closed) {
					// closed by the node: what the pattern may come to
				}
			}));
		}
		CompletableFuture.allOf(sending.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
		return sockets;
	}

	/** 60 peers, each calling echo with 1 MB values 8 times and never reading an answer. */
	private static List<Socket> neverReading() throws IOException {
		List<Socket> sockets = new ArrayList<>();
		for (int c = 0; c < 60; c++) {
			Socket socket = upgrade("never-reads-" + c);
			sockets.add(socket);
			try {
				for (int i = 1; i <= 8; i++) {
					byte[] call = codec.encode(Packet.request(i, PacketType.CALL, List.of("target@1.0.0", "echo", "e".repeat(1 << 20))));
					socket.getOutputStream().write(RawWebSocket.maskedBinary(call));
				}
			}
			catch (IOException closed) {
				// closed by the node
			}
		}
		return sockets;
	}

	/** 16 connections, each sending one 60 MiB frame of empty maps, streamed from a 1 MB buffer. */
	private static List<Socket> emptyMaps() throws Exception {
		int count = 60 << 20;
		byte[] maps = new byte[1 << 20];
		Arrays.fill(maps, (byte) 0x80);
		List<Socket> sockets = new ArrayList<>();
		List<CompletableFuture<?>> sending = new ArrayList<>();
		for (int c = 0; c < 16; c++) {
			Socket socket = upgrade("empty-maps-" + c);
			sockets.add(socket);
			sending.add(CompletableFuture.runAsync(() -> {
				try {
					OutputStream out = socket.getOutputStream();
					long length = 10L + count;
					// a binary frame's header (masked with the zero key), then the packet: id 1, a CALL
					// request, an array32 of the maps
					out.write(ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127)).putLong(length).array());
					out.write(new byte[4]);
					out.write(ByteBuffer.allocate(10).putInt(1).put((byte) 0x43).put((byte) 0xdd).putInt(count).array());
					for (int sent = 0; sent < count; sent += maps.length) {
						out.write(maps);
					}
				}
				catch (IOException closed) {
					// closed by the node
				}
			}));
		}
		CompletableFuture.allOf(sending.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
		return sockets;
	}

	/** One peer exposing 2,000 services of about 200 KB of metadata each. */
	private static List<Socket> exposingThousands() throws Exception {
		// the attacker waits as long as it takes: the node may be busy with the other patterns
		RemotePeer peer = attacker.connect("ws://127.0.0.1:" + port + "/netron").join();
		Map<String, Object> methods = new java.util.LinkedHashMap<>();
		for (int m = 0; m < 100; m++) {
			methods.put("method" + m, Map.of("type", "T".repeat(1000), "arguments", List.of("A".repeat(1000))));
		}
		int refused = 0;
		for (int s = 0; s < 2000; s++) {
			try {
				peer.runTask("expose_service", Map.of("name", "bulk" + s, "version", "1.0.0", "properties", Map.of(),
						"methods", methods)).get(10, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				refused++;
			}
		}
		assertThat(refused).isEqualTo(2000);
		peer.disconnect();
		return List.of();
	}

	// ------------------------------------------------------------------ checks

	@FunctionalInterface
	interface Pattern {

		List<Socket> attack() throws Exception;

	}

	private static void run(Pattern... patterns) throws Exception {
		ExecutorService attackers = Executors.newFixedThreadPool(patterns.length);
		List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
		try {
			List<java.util.concurrent.Future<?>> running = new ArrayList<>();
			for (Pattern pattern : patterns) {
				running.add(attackers.submit(() -> {
					sockets.addAll(pattern.attack());
					return null;
				}));
			}
			for (java.util.concurrent.Future<?> attack : running) {
				attack.get(180, TimeUnit.SECONDS);
			}
			// while the attackers are still connected, the node serves a newcomer
			assertServedWithinASecond();
		}
		finally {
			for (Socket socket : sockets) {
				socket.close();
			}
			attackers.shutdownNow();
		}
	}

	private static void assertRecovered(String what) throws Exception {
		assertThat(node.isAlive()).as(what + ": the node is alive").isTrue();
		assertThat(output.toString()).as(what + ": no OutOfMemoryError").doesNotContain("OutOfMemoryError");
		assertServedWithinASecond();
		HttpResponse<String> health = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).as(what + ": health " + health.body()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"");
		// what the attackers made the node hold is let go: the heap comes back near where it started
		await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(heapAfterGc()).as(what + ": heap after a collection")
				.isLessThan(heapAtStart + (64L << 20)));
	}

	private static void assertServedWithinASecond() throws Exception {
		long started = System.nanoTime();
		RemotePeer fresh = client.connect("ws://127.0.0.1:" + port + "/netron").get(1, TimeUnit.SECONDS);
		assertThat(fresh.queryInterface("target@1.0.0").call("add", 2, 3).get(1, TimeUnit.SECONDS)).isEqualTo(5);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
		fresh.disconnect();
	}

	private static long heapAfterGc() throws Exception {
		RemotePeer peer = client.connect("ws://127.0.0.1:" + port + "/netron").get(5, TimeUnit.SECONDS);
		try {
			return ((Number) peer.queryInterface("target@1.0.0").call("heapAfterGc").get(10, TimeUnit.SECONDS)).longValue();
		}
		finally {
			peer.disconnect();
		}
	}

	private static Socket upgrade(String id) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(16 * 1024);
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		// as a WebSocket client does, nothing is sent before the 101 answer (Reactor Netty closes a
		// connection that does with 1002: its HTTP decoder has read into those bytes)
		assertThat(RawWebSocket.upgrade(socket, id)).as("the answer to the upgrade of " + id).startsWith("HTTP/1.1 101");
		return socket;
	}

}
