package io.netron.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netron.protocol.JsError;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import io.netron.protocol.Undefined;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Bad input and lost peers: the node keeps serving, callers get specific errors, nothing hangs.
 */
class RobustnessTests {

	private static final HexFormat HEX = HexFormat.of();

	private static final TestNodes nodes = new TestNodes();

	private static final PacketCodec codec = new PacketCodec();

	private static ConfigurableApplicationContext server;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { TestServices.Calculator.class }, "netron.server.max-message-size=64KB");
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	private static RawWebSocket handshaken() throws InterruptedException {
		RawWebSocket socket = new RawWebSocket(TestNodes.url(server) + "?id=raw-" + System.nanoTime());
		assertThat(socket.next()).isEqualTo("{\"type\":\"id\",\"id\":\"" + TestNodes.netron(server).id() + "\"}");
		return socket;
	}

	private static Packet nextPacket(RawWebSocket socket) throws InterruptedException {
		Object frame = socket.next();
		assertThat(frame).isInstanceOf(byte[].class);
		return codec.decode((byte[]) frame);
	}

	private static void assertStillServing(RawWebSocket socket) throws InterruptedException {
		socket.send(codec.encode(Packet.request(77, PacketType.TASK, List.of("abilities", java.util.Map.of()))));
		Packet reply = nextPacket(socket);
		assertThat(reply.id()).isEqualTo(77);
		assertThat(reply.isError()).isFalse();
	}

	@Test
	void connectionWithoutIdIsClosed() throws Exception {
		try (RawWebSocket socket = new RawWebSocket(TestNodes.url(server))) {
			assertThat(socket.closeCode.get()).isEqualTo(1008);
		}
	}

	@Test
	void undecodableRequestGetsAnErrorResponseAndTheConnectionKeepsWorking() throws Exception {
		try (RawWebSocket socket = handshaken()) {
			// CALL request 9 whose data starts with the reserved byte 0xc1
			socket.send(HEX.parseHex("0000000943c1"));
			Packet reply = nextPacket(socket);
			assertThat(reply.id()).isEqualTo(9);
			assertThat(reply.isError()).isTrue();
			assertThat(reply.type()).isEqualTo(PacketType.CALL);
			assertThat(((JsError) reply.data()).getMessage())
				.isEqualTo("Malformed packet 9: Reserved format byte 0xc1 at offset 5");
			assertStillServing(socket);
		}
	}

	@Test
	void unknownPacketTypeGetsAnErrorResponse() throws Exception {
		try (RawWebSocket socket = handshaken()) {
			socket.send(HEX.parseHex("0000000a49c0"));
			// the error response keeps the request's type bits (9), which the Java decoder refuses
			// in turn, so read it by hand: id, flags, then the Error value
			byte[] reply = (byte[]) socket.next();
			assertThat(HEX.formatHex(reply, 0, 5)).isEqualTo("0000000a89");
			Object error = codec.values().decode(java.util.Arrays.copyOfRange(reply, 5, reply.length));
			assertThat(((JsError) error).getMessage()).isEqualTo("Unknown packet type 9 in packet 10");
			// PING (type 0) is answered in both generations: flags 0x00, the data echoed
			socket.send(HEX.parseHex("0000000b40d40000"));
			Packet ping = nextPacket(socket);
			assertThat(ping.id()).isEqualTo(11);
			assertThat(ping.flags()).isZero();
			assertThat(ping.data()).isSameAs(Undefined.INSTANCE);
			assertStillServing(socket);
		}
	}

	@Test
	void frameWithoutReadableHeaderAndTextFramesAreDropped() throws Exception {
		try (RawWebSocket socket = handshaken()) {
			socket.send(new byte[] { 1, 2 });
			socket.sendText("hello?");
			assertStillServing(socket);
		}
	}

	@Test
	void requestsOfTheWrongShapeGetSpecificErrors() throws Exception {
		try (RawWebSocket socket = handshaken()) {
			socket.send(codec.encode(Packet.request(20, PacketType.CALL, "not an array")));
			assertThat(((JsError) nextPacket(socket).data()).getMessage())
				.isEqualTo("Invalid CALL request: expected an array of arguments");
			socket.send(codec.encode(Packet.request(21, PacketType.CALL, List.of(5, "add"))));
			assertThat(((JsError) nextPacket(socket).data()).getMessage())
				.isEqualTo("Invalid CALL request: item 0 (definition id) must be a string");
			socket.send(codec.encode(Packet.request(22, PacketType.GET, List.of("no-such-def", "x"))));
			assertThat(((JsError) nextPacket(socket).data()).getMessage()).isEqualTo("Unknown definition: no-such-def.");
			assertStillServing(socket);
		}
	}

	@Test
	void unserializableResultGetsAnErrorResponse() throws Exception {
		Netron node = TestNodes.netron(server);
		node.addTask("thread", (peer, args) -> Thread.currentThread());
		try (RawWebSocket socket = handshaken()) {
			socket.send(codec.encode(Packet.request(30, PacketType.TASK, List.of("thread"))));
			Packet reply = nextPacket(socket);
			assertThat(reply.isError()).isTrue();
			assertThat(((JsError) reply.data()).getMessage()).startsWith("Not supported: ");
			assertStillServing(socket);
		}
		finally {
			node.taskManager().removeTask("thread");
		}
	}

	@Test
	void oversizedMessageClosesThatConnectionOnlyWith1009() throws Exception {
		RemotePeer healthy = nodes.client().connect(TestNodes.url(server)).join();
		try (RawWebSocket socket = handshaken()) {
			byte[] big = codec.encode(Packet.request(40, PacketType.CALL, List.of("x", "echo", new byte[100_000])));
			socket.send(big);
			// 1009 with its close frame on both stacks: the node keeps reading (and dropping) what the
			// peer still sends until its close, so no reset takes the close frame away (1006); never served
			assertThat(socket.closeCode.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1009);
			assertThat(socket.frames).noneMatch((frame) -> frame instanceof byte[]);
		}
		assertThat(healthy.queryInterface("calculator@1.0.0").call("add", 1, 2).join()).isEqualTo(3);
	}

	@Test
	void pendingCallsFailAtOnceWhenThePeerDisconnects() throws Exception {
		TestNodes local = new TestNodes();
		try {
			ConfigurableApplicationContext doomed = local.server(new Class<?>[] { TestServices.Calculator.class },
					"netron.shutdown-timeout=100ms");
			RemotePeer peer = local.client().connect(TestNodes.url(doomed)).join();
			CalculatorClient calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
			List<CompletableFuture<Object>> inFlight = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				inFlight.add(peer.queryInterface("calculator@1.0.0").call("block"));
			}
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
				.until(() -> peer.queryInterface("calculator@1.0.0") != null);
			doomed.close();
			for (CompletableFuture<Object> call : inFlight) {
				assertThat(call).failsWithin(Duration.ofSeconds(2))
					.withThrowableThat()
					.havingRootCause()
					.isInstanceOf(PeerDisconnectedException.class)
					.withMessageContaining("is shutting down (code 1001, going away)")
					.withMessageContaining("before answering CALL calculator@1.0.0.block");
			}
			assertThatExceptionOfType(PeerDisconnectedException.class).isThrownBy(() -> calculator.add(1, 2))
				.withMessageContaining("is not connected");
		}
		finally {
			local.close();
		}
	}

	@Test
	void requestTimeoutFailsTheCallWithTheSeedMessage() {
		Netron client = nodes.client(NetronOptions.defaults().withRequestTimeout(Duration.ofMillis(300)));
		RemotePeer peer = client.connect(TestNodes.url(server)).join();
		CalculatorClient calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
		try {
			assertThatExceptionOfType(NetronTimeoutException.class).isThrownBy(calculator::block)
				.withMessageStartingWith("Request timeout exceeded: no answer to CALL calculator@1.0.0.block from peer ")
				.withMessageEndingWith(" within 300 ms");
		}
		finally {
			server.getBean(TestServices.Calculator.class).release.countDown();
		}
		assertThat(calculator.add(2, 2)).isEqualTo(4);
	}

	@Test
	void permessageDeflateIsNotNegotiatedEvenWhenOffered() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", TestNodes.port(server))) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /netron?id=deflate HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
					+ "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			List<String> headers = new ArrayList<>();
			for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
				headers.add(line.toLowerCase());
			}
			assertThat(headers.get(0)).startsWith("http/1.1 101");
			assertThat(headers).noneMatch((header) -> header.startsWith("sec-websocket-extensions"));
		}
	}

	@Test
	void connectToNothingFailsClearly() {
		Netron client = nodes.client(NetronOptions.defaults().withConnectTimeout(Duration.ofSeconds(2)));
		assertThat(client.connect("ws://127.0.0.1:1/netron")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(PeerDisconnectedException.class)
			.withMessageStartingWith("Cannot connect to ws://127.0.0.1:1/netron");
	}

}
