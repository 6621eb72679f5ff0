package io.netron.core;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.HandshakeFrame;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketFlags;
import io.netron.protocol.PacketType;
import io.netron.protocol.StreamReference;
import io.netron.protocol.TitanError;
import io.netron.stream.NetronReadableStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server's side of the Titan handshake over real connections: the id frame reaches Titan
 * clients that listen late, and every malformed or misplaced handshake frame is refused or
 * ignored with a log line, never leaving a connection hanging or a count taken.
 */
class TitanHandshakeTests {

	private static final HexFormat HEX = HexFormat.of();

	private static final PacketCodec codec = new PacketCodec();

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	private static Netron node;

	@BeforeAll
	static void start() {
		// the default connect timeout (5 s): the id frame is repeated to a silent Titan client that long
		server = nodes.server(new Class<?>[] { Summing.class });
		node = TestNodes.netron(server);
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	/**
	 * A Titan client attaches its listener for the id frame only after the socket opened and a
	 * promise settled: bytes that come in the same read as the upgrade response are lost to it.
	 * This client drops them likewise, and must still receive the id frame, every time.
	 */
	@Test
	void idFrameReachesTitanClientsThatDropWhatArrivesWithTheUpgradeResponse() throws Exception {
		for (int i = 0; i < 40; i++) {
			try (Socket socket = new Socket("127.0.0.1", TestNodes.port(server))) {
				socket.setSoTimeout(3000);
				OutputStream out = socket.getOutputStream();
				out.write(upgrade("/netron?id=late-" + i, "x-netron-id: late-" + i + "\r\n"));
				out.flush();
				InputStream in = socket.getInputStream();
				byte[] first = new byte[8192];
				int read = in.read(first);
				assertThat(new String(first, 0, read, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
				// whatever came with the upgrade response is lost, as it is to a Titan client
				Object frame = nextFrame(new DataInputStream(in));
				assertThat(frame).as("connection %d", i).isInstanceOf(String.class);
				assertThat(HandshakeFrame.parse((String) frame).id()).isEqualTo(node.id());
			}
		}
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(openConnections()).isZero());
	}

	@Test
	void clientIdThatIsNotJsonClosesWithPolicyViolationAndTheReason() throws Exception {
		try (RawWebSocket socket = new RawWebSocket(url(""))) {
			assertThat(socket.next()).isInstanceOf(String.class);
			socket.send("{nope".getBytes(StandardCharsets.UTF_8));
			assertThat(socket.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
		}
		try (RawWebSocket socket = new RawWebSocket(url(""))) {
			assertThat(socket.next()).isInstanceOf(String.class);
			socket.sendText("{\"type\":\"id\",\"id\":\"confused\"}");
			assertThat(socket.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
		}
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(openConnections()).isZero());
		assertThat(node.peers()).noneMatch((peer) -> peer.id().isEmpty() || peer.id().equals("confused"));
	}

	@Test
	void connectionWithoutIdOrClientIdIsClosedAfterTheConnectTimeout() throws Exception {
		ConfigurableApplicationContext quick = nodes.server(new Class<?>[] { Summing.class }, "netron.connect-timeout=1s");
		try (RawWebSocket socket = new RawWebSocket(TestNodes.url(quick))) {
			assertThat(socket.next()).isInstanceOf(String.class);
			assertThat(socket.closeCode.get(30, TimeUnit.SECONDS)).isEqualTo(1008);
		}
	}

	@Test
	void secondClientIdAndClientIdAfterPacketsAreIgnoredAndTheConnectionServes() throws Exception {
		try (RawWebSocket socket = new RawWebSocket(url("?id=twice"))) {
			assertThat(socket.next()).isInstanceOf(String.class);
			socket.send(HandshakeFrame.clientId("twice").toBytes());
			socket.send(HandshakeFrame.clientId("someone-else").toBytes());
			socket.sendText(HandshakeFrame.clientId("someone-else").toJson());
			assertPing(socket);
			assertThat(node.peers()).noneMatch((peer) -> peer.id().equals("someone-else"));
		}
		try (RawWebSocket socket = new RawWebSocket(url("?id=seed-first"))) {
			assertThat(socket.next()).isInstanceOf(String.class);
			assertPing(socket);
			socket.send(HandshakeFrame.clientId("seed-later").toBytes());
			assertPing(socket);
			assertThat(node.peers()).anyMatch((peer) -> peer.id().equals("seed-first")
					&& peer.generationSpoken() == ProtocolGeneration.SEED);
		}
	}

	@Test
	void namesThatAreNotQualifiedAndUnknownTasksAreAnsweredWithTitanNotFound() throws Exception {
		try (RawWebSocket socket = titan("names")) {
			socket.send(codec.encode(Packet.request(1, PacketType.CALL, List.of("summing", "sum"))));
			TitanError error = (TitanError) nextPacket(socket).data();
			assertThat(error.code()).isEqualTo(404);
			assertThat(error.getMessage()).isEqualTo("Service with id summing not found");
			socket.send(codec.encode(Packet.request(2, PacketType.TASK, List.of("nosuch"))));
			error = (TitanError) nextPacket(socket).data();
			assertThat(error.getMessage()).isEqualTo("Task with id nosuch not found");
			// a frame with a byte after its last field: refused on Titan connections (400)
			socket.send(HEX.parseHex("0000000343" + "92ad73756d6d696e6740312e302e30a3737564" + "c0"));
			Packet refused = nextPacket(socket);
			assertThat(refused.id()).isEqualTo(3);
			assertThat(((TitanError) refused.data()).code()).isEqualTo(400);
			assertPing(socket);
		}
	}

	/**
	 * A Titan client passes a writable stream with the server's id in the reference, and its
	 * chunks may arrive before the call: the stream is bound to the calling connection whatever
	 * the reference says, and no chunk is lost.
	 */
	@Test
	void streamArgumentOfATitanClientNamingTheServerWithChunksAheadOfTheCallLosesNothing() throws Exception {
		for (int round = 0; round < 20; round++) {
			try (RawWebSocket socket = titan("sum-" + round)) {
				long streamId = 7;
				for (int i = 1; i <= 50; i++) {
					socket.send(codec.encode(new Packet(100 + i, PacketFlags.IMPULSE | PacketFlags.LIVE
							| PacketType.STREAM.wireValue(), i, streamId, i - 1)));
				}
				StreamReference reference = new StreamReference(streamId, StreamReference.StreamType.WRITABLE, true,
						node.id());
				socket.send(codec.encode(Packet.request(1, PacketType.CALL, List.of("summing@1.0.0", "sum", reference))));
				for (int i = 51; i <= 100; i++) {
					socket.send(codec.encode(new Packet(100 + i, PacketFlags.IMPULSE | PacketFlags.LIVE
							| PacketType.STREAM.wireValue(), i, streamId, i - 1)));
				}
				socket.send(codec.encode(new Packet(300, PacketFlags.IMPULSE | PacketFlags.LIVE | PacketFlags.END_OF_STREAM
						| PacketType.STREAM.wireValue(), null, streamId, 100)));
				Packet answer = nextPacket(socket);
				assertThat(answer.id()).isEqualTo(1);
				@SuppressWarnings("unchecked")
				Map<String, Object> result = (Map<String, Object>) answer.data();
				assertThat(result).containsEntry("count", 100).containsEntry("sum", 5050);
			}
		}
	}

	// ------------------------------------------------------------------ helpers

	private static int openConnections() {
		return TestNodes.guard(server).openConnections();
	}

	private static String url(String query) {
		return TestNodes.url(server) + query;
	}

	private static RawWebSocket titan(String id) throws InterruptedException {
		RawWebSocket socket = new RawWebSocket(url("?id=" + id), Map.of("x-netron-id", id));
		assertThat(socket.next()).isInstanceOf(String.class);
		socket.send(HandshakeFrame.clientId(id).toBytes());
		return socket;
	}

	private static void assertPing(RawWebSocket socket) throws InterruptedException {
		socket.send(HEX.parseHex("0000007740a3686579"));
		Packet pong = nextPacket(socket);
		assertThat(pong.id()).isEqualTo(0x77);
		assertThat(pong.flags()).isZero();
		assertThat(pong.data()).isEqualTo("hey");
	}

	private static Packet nextPacket(RawWebSocket socket) throws InterruptedException {
		Object frame = socket.next();
		assertThat(frame).as("a packet within 5 s").isInstanceOf(byte[].class);
		return codec.decode((byte[]) frame);
	}

	private static byte[] upgrade(String path, String extraHeaders) {
		String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
		return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** The next data frame of an unmasked server stream: text as String, binary as byte[]. */
	private static Object nextFrame(DataInputStream in) throws IOException {
		while (true) {
			int first = in.readUnsignedByte();
			int second = in.readUnsignedByte();
			long length = second & 0x7f;
			if (length == 126) {
				length = in.readUnsignedShort();
			}
			else if (length == 127) {
				length = in.readLong();
			}
			byte[] payload = new byte[(int) length];
			in.readFully(payload);
			int opcode = first & 0x0f;
			if (opcode == 1) {
				return new String(payload, StandardCharsets.UTF_8);
			}
			if (opcode == 2) {
				return payload;
			}
		}
	}

	@NetronService("summing@1.0.0")
	static class Summing {

		@Public
		public java.util.concurrent.CompletableFuture<Map<String, Object>> sum(NetronReadableStream<Number> stream) {
			long[] totals = new long[2];
			return stream.forEach((value) -> {
				totals[0]++;
				totals[1] += value.longValue();
			}).thenApply((ignored) -> {
				Map<String, Object> result = new LinkedHashMap<>();
				result.put("count", totals[0]);
				result.put("sum", totals[1]);
				return result;
			});
		}

	}

}
