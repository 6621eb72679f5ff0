package io.netron.core;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a hostile peer may send and must not get through, over real connections: node ids that
 * would break log lines (too long, terminal escapes, line breaks) are refused at the handshake
 * without being logged, and what a peer can make the node log is throttled.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileInputTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	private static Netron node;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { Adder.class });
		node = TestNodes.netron(server);
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@Test
	void idsThatWouldBreakALogLineAreRefusedAndNotLogged(CapturedOutput output) throws Exception {
		String escape = "red\u001b[31mALERT";
		String longId = "x".repeat(6000);
		for (String id : new String[] { escape, longId, "two\nlines" }) {
			try (RawWebSocket socket = new RawWebSocket(
					TestNodes.url(server) + "?id=" + URLEncoder.encode(id, StandardCharsets.UTF_8))) {
				assertThat(socket.closeCode.get(5, TimeUnit.SECONDS)).as(id.substring(0, 5)).isEqualTo(1008);
			}
		}
		// the same ids in a Titan client-id frame
		for (String id : new String[] { escape, longId, "two\nlines" }) {
			try (RawWebSocket socket = new RawWebSocket(TestNodes.url(server))) {
				assertThat(socket.next()).isInstanceOf(String.class);
				socket.send(io.netron.protocol.HandshakeFrame.clientId(id).toBytes());
				assertThat(socket.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
			}
		}
		assertThat(output.getOut()).contains("its ?id= has an id with the invisible character U+001B at 3",
				"its ?id= has an id of 6000 characters (at most 256)",
				"Handshake frame has an id with the invisible character U+000A at 3")
			.doesNotContain("\u001b[31m", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "two\nlines");
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(openConnections()).isZero());
		assertThat(node.peers()).noneMatch((peer) -> peer.id().length() > 256 || peer.id().contains("\u001b"));
		// ids of every-day shapes pass, and the node serves on
		RemotePeer peer = nodes.client(NetronOptions.defaults().withId("titan-4242-1764921600000-a1b2c3"))
			.connect(TestNodes.url(server))
			.join();
		assertThat(peer.queryInterface("adder@1.0.0").call("add", 2, 3).join()).isEqualTo(5);
		peer.disconnect();
	}

	@Test
	void aPeerMakingAListenerFailAtWillCostsALogLineASecond(CapturedOutput output) throws Exception {
		AtomicInteger called = new AtomicInteger();
		Netron hostile = nodes.client(NetronOptions.defaults().withId("hostile-emitter"));
		RemotePeer toServer = hostile.connect(TestNodes.url(server)).join();
		// the server listens to an event of its peer, with a listener that fails
		RemotePeer fromServer = await().atMost(5, TimeUnit.SECONDS)
			.until(() -> node.peers().stream().filter((peer) -> peer.id().equals("hostile-emitter")).findFirst().orElse(null),
					java.util.Objects::nonNull);
		fromServer.subscribe("hostile\u001b[31m", (args) -> {
			called.incrementAndGet();
			throw new IllegalStateException("listener refuses " + args.get(0));
		}).join();
		// and the peer emits it as fast as it can
		long started = System.nanoTime();
		for (int i = 0; i < 2000; i++) {
			hostile.emit("hostile\u001b[31m", i).join();
		}
		assertThat(called.get()).isEqualTo(2000);
		long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
		toServer.disconnect();
		long lines = output.getOut().lines().filter((line) -> line.contains("Listener of event 'hostile?[31m' from")).count();
		// one a second at most, the first one at once, however long the emits took
		assertThat(lines).isBetween(1L, seconds + 2);
		assertThat(output.getOut()).contains("listener refuses 0").doesNotContain("hostile\u001b");
	}

	/** Cross-site WebSocket hijacking: a page of another origin cannot ride its visitor's credentials in. */
	@Test
	void pagesOfOtherOriginsCannotConnectOrCallUnlessAllowed(CapturedOutput output) throws Exception {
		String own = "http://127.0.0.1:" + TestNodes.port(server);
		for (String origin : new String[] { "https://evil.example", "null" }) {
			Throwable refused = org.assertj.core.api.Assertions
				.catchThrowable(() -> new RawWebSocket(TestNodes.url(server), java.util.Map.of("Origin", origin)).close());
			assertThat(refused).as(origin).hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
			assertThat(((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode())
				.isEqualTo(403);
			assertThat(post(server, origin).statusCode()).as(origin).isEqualTo(403);
		}
		assertThat(output.getOut()).contains("a page of origin 'https://evil.example' may not connect");
		// the same origin, and no origin at all (peers that are not browsers), pass
		try (RawWebSocket same = new RawWebSocket(TestNodes.url(server) + "?id=same-origin", java.util.Map.of("Origin", own))) {
			assertThat(same.next()).isInstanceOf(String.class);
		}
		assertThat(post(server, own).statusCode()).isEqualTo(200);
		assertThat(post(server, null).statusCode()).isEqualTo(200);
		// listed origins pass
		ConfigurableApplicationContext open = nodes.server(new Class<?>[] { Adder.class },
				"netron.server.allowed-origins=https://*.example.com", "netron.http.cors.allowed-origins=https://app.example.com");
		try (RawWebSocket listed = new RawWebSocket(TestNodes.url(open) + "?id=listed",
				java.util.Map.of("Origin", "https://app.example.com"))) {
			assertThat(listed.next()).isInstanceOf(String.class);
		}
		assertThat(post(open, "https://app.example.com").statusCode()).isEqualTo(200);
		assertThat(post(open, "https://evil.example").statusCode()).isEqualTo(403);
	}

	/**
	 * A peer that sends calls and never reads the answers: once more than its send buffer waits for
	 * it, it is dropped at once (its requests, subscriptions and exposed services with it) and its
	 * socket closed within seconds, while everyone else is served.
	 */
	@Test
	void aPeerThatCannotKeepUpIsDroppedAtOnceAndItsSocketClosedWithinSeconds(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext small = nodes.server(new Class<?>[] { Adder.class }, "netron.server.send-buffer-size=1MB");
		Netron smallNode = TestNodes.netron(small);
		java.util.List<Object> disconnected = new java.util.concurrent.CopyOnWriteArrayList<>();
		smallNode.on(NetronEvents.PEER_DISCONNECT, (args) -> disconnected.add(args.get(0)));
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.setReceiveBufferSize(16 * 1024);
			socket.connect(new java.net.InetSocketAddress("127.0.0.1", TestNodes.port(small)), 5000);
			java.io.OutputStream out = socket.getOutputStream();
			out.write(("GET /netron?id=slow-reader HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nSec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			await().atMost(5, TimeUnit.SECONDS)
				.until(() -> smallNode.peers().stream().anyMatch((peer) -> peer.id().equals("slow-reader")));
			String big = "x".repeat(256 * 1024);
			io.netron.protocol.PacketCodec codec = new io.netron.protocol.PacketCodec();
			long sentAll = 0;
			for (int i = 1; i <= 40 && !socket.isClosed(); i++) {
				try {
					out.write(RawWebSocket.maskedBinary(codec.encode(io.netron.protocol.Packet.request(i, io.netron.protocol.PacketType.CALL,
							java.util.List.of("adder@1.0.0", "echo", big)))));
					sentAll = i;
				}
				catch (java.io.IOException closed) {
					break;
				}
			}
			assertThat(sentAll).isPositive();
			await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
				assertThat(smallNode.peers()).noneMatch((peer) -> peer.id().equals("slow-reader"));
				assertThat(disconnected).isNotEmpty();
			});
			long dropped = System.nanoTime();
			assertThat(output.getOut()).contains("Disconnecting peer slow-reader", "it cannot keep up");
			// the socket is closed too: what is left to read ends within seconds
			socket.setSoTimeout(5000);
			java.io.InputStream in = socket.getInputStream();
			byte[] sink = new byte[64 * 1024];
			try {
				while (in.read(sink) >= 0) {
					// drain what was sent before the close
				}
			}
			catch (java.net.SocketException reset) {
				// closed abruptly: as good
			}
			assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isLessThan(Duration.ofSeconds(5));
		}
		await().atMost(5, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(TestNodes.guard(small).openConnections()).isZero());
		RemotePeer fresh = nodes.client().connect(TestNodes.url(small)).join();
		assertThat(fresh.queryInterface("adder@1.0.0").call("add", 1, 2).join()).isEqualTo(3);
		fresh.disconnect();
	}

	private static java.net.http.HttpResponse<String> post(ConfigurableApplicationContext node, @org.jspecify.annotations.Nullable String origin)
			throws Exception {
		java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + TestNodes.port(node) + "/netron/invoke"))
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers
				.ofString("{\"id\":\"1\",\"service\":\"adder@1.0.0\",\"method\":\"add\",\"input\":[2,3]}"));
		if (origin != null) {
			request.header("Origin", origin);
		}
		return java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
	}

	private static int openConnections() {
		return TestNodes.guard(server).openConnections();
	}

	@NetronService("adder@1.0.0")
	public static class Adder {

		@Public
		public int add(int a, int b) {
			return a + b;
		}

		@Public
		public String echo(String text) {
			return text;
		}

	}

}
