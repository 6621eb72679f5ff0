package io.netron.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netron.core.Netron;
import io.netron.core.RawWebSocket;
import io.netron.protocol.Definition;
import io.netron.protocol.HandshakeFrame;
import io.netron.protocol.JsError;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketFlags;
import io.netron.protocol.PacketType;
import io.netron.protocol.StreamReference;
import io.netron.protocol.TitanError;
import io.netron.protocol.Undefined;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import io.netron.titan.TitanExtraService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the client side of every exchange of {@code wire-vectors/titan/frames.json}, captured
 * from a running Titan Netron node, against this application over a real WebSocket, and checks
 * that each answer is what the Titan server answered: the same packets, flags, values, errors
 * (names, codes, messages, details) and stream packets. What this node's own ids and clocks make
 * different is mapped (definition ids, stream ids, the server's id, timestamps); where this node
 * answers otherwise on purpose, the test says so and checks this node's answer instead.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.demo.enabled=false")
@Import(TitanExtraService.class)
class TitanFramesReplayTests {

	private static final HexFormat HEX = HexFormat.of();

	/** The definition id of conformance@1.0.0 on the capturing Titan node. */
	private static final String CAPTURED_DEF_ID = "01a244e1-7cbd-757b-b2fc-0128ee5d5662";

	@LocalServerPort
	int port;

	@Autowired
	Netron netron;

	private final PacketCodec codec = new PacketCodec();

	private JsonNode exchanges;

	/** This node's definition id of conformance@1.0.0. */
	private String defId;

	@BeforeEach
	void load() throws IOException {
		try (InputStream in = TitanFramesReplayTests.class.getResourceAsStream("/titan-frames.json")) {
			this.exchanges = new ObjectMapper().readTree(in).get("exchanges");
		}
		assertThat(this.exchanges).hasSize(24);
		this.defId = this.netron.localPeer().services().get("conformance@1.0.0").id();
	}

	@Test
	void titanClientHandshakeIdFrameThenClientIdThenServed() throws Exception {
		JsonNode exchange = exchange("handshake, Titan client");
		try (RawWebSocket socket = new RawWebSocket(url("?id=titan-client-one"), Map.of("x-netron-id", "titan-client-one"))) {
			expectIdFrame(socket);
			socket.send(bytes(exchange.get("frames").get(1)));
			assertPingAnswered(socket);
			assertThat(this.netron.peers()).anySatisfy((peer) -> assertThat(peer.id()).isEqualTo("titan-client-one"));
		}
	}

	@Test
	void clientIdAsTextWithoutQueryIdIsServedUnderTheFramesId() throws Exception {
		JsonNode exchange = exchange("handshake, client-id as a TEXT frame");
		try (RawWebSocket socket = new RawWebSocket(url(""))) {
			expectIdFrame(socket);
			socket.sendText(exchange.get("frames").get(1).get("text").asText());
			assertPingAnswered(socket);
			assertThat(this.netron.peers()).anySatisfy((peer) -> assertThat(peer.id()).isEqualTo("raw"));
		}
	}

	@Test
	void clientIdWinsOverQueryId() throws Exception {
		replay("handshake, client-id wins over ?id", "?id=from-query");
		assertThat(this.netron.peers()).noneSatisfy((peer) -> assertThat(peer.id()).isEqualTo("from-query"));
	}

	/**
	 * Differs on purpose: a Titan server never answers a packet that comes without a client-id;
	 * this node serves both generations, and a packet first with {@code ?id} is a seed-era client.
	 */
	@Test
	void queryIdWithoutClientIdIsASeedEraClientAndServed() throws Exception {
		JsonNode frames = exchange("handshake, ?id only, no client-id frame").get("frames");
		try (RawWebSocket socket = new RawWebSocket(url("?id=q-only"))) {
			expectIdFrame(socket);
			socket.send(bytes(frames.get(1)));
			Packet reply = nextPacket(socket);
			assertThat(reply.id()).isEqualTo(1);
			assertThat(reply.flags()).isEqualTo(0x03);
			assertThat(reply.data()).isEqualTo("x");
		}
	}

	/**
	 * Differs on purpose: a Titan server keeps such a connection open and never serves it; this
	 * node closes it with 1008 saying what is missing, so that nothing waits for an answer.
	 */
	@Test
	void packetFirstWithoutAnyIdClosesTheConnectionWithPolicyViolation() throws Exception {
		JsonNode frames = exchange("handshake, packet before client-id kills the connection").get("frames");
		try (RawWebSocket socket = new RawWebSocket(url(""))) {
			expectIdFrame(socket);
			socket.send(bytes(frames.get(1)));
			assertThat(socket.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
		}
	}

	@Test
	void queryInterfaceExactVersionlessAndMissing() throws Exception {
		replay("query_interface, exact name@version", "?id=raw");
		replay("query_interface, versionless name", "?id=raw");
		replay("query_interface, missing service", "?id=raw");
	}

	@Test
	void coreTasksAnswerAsTitanDoes() throws Exception {
		replay("abilities refused", "?id=raw");
		replay("authenticate without auth configured", "?id=raw");
		replay("invalidate_cache", "?id=raw");
		replay("subscribe", "?id=raw");
	}

	@Test
	void callsAndReadsByDefinitionIdAndByName() throws Exception {
		replay("CALL and GET by definition id", "?id=titan-client-one");
		replay("CALL and GET by name@version", "?id=raw");
		replay("CALL by versionless or unknown name rejected", "?id=raw");
	}

	/**
	 * Differs on purpose: Titan does not enforce {@code readonly} on the wire; this node refuses to
	 * write a readonly property whoever asks (403 to a Titan peer), and the value stays.
	 */
	@Test
	void readonlyPropertyIsRefusedWith403AndKeepsItsValue() throws Exception {
		JsonNode frames = exchange("SET and GET by name; readonly not enforced").get("frames");
		try (RawWebSocket socket = titanConnection("raw")) {
			for (int i = 0; i < 3; i++) {
				socket.send(bytes(frames.get(i)));
			}
			Map<Long, Packet> replies = new LinkedHashMap<>();
			for (int i = 0; i < 3; i++) {
				Packet reply = nextPacket(socket);
				replies.put(reply.id(), reply);
			}
			for (long id : new long[] { 10, 12 }) {
				assertThat(replies.get(id).flags()).isEqualTo(0x82);
				TitanError error = (TitanError) replies.get(id).data();
				assertThat(error.code()).isEqualTo(403);
				assertThat(error.getMessage()).isEqualTo("Property is not writable: 'version' is marked as readonly");
			}
			assertThat(replies.get(11L).data()).isEqualTo("1.0.0");
		}
	}

	@Test
	void errorsAsTitanSendsThem() throws Exception {
		replay("plain Error reply (ext 126)", "?id=titan-client-one");
		replay("TitanError reply (ext 110)", "?id=raw");
	}

	@Test
	void streamsAndTheirFailure() throws Exception {
		replay("stream, numbers(5), Titan client", "?id=titan-client-one");
		replay("stream, numbers(3)", "?id=raw");
		replay("failing stream -> STREAM_CLOSE", "?id=raw");
	}

	@Test
	void inboundStreamErrorAndCloseForUnknownStreamsAreAcceptedSilently() throws Exception {
		replay("inbound STREAM_ERROR and STREAM_CLOSE", "?id=raw");
	}

	@Test
	void pingIsAnsweredWithTheSameBytesAsTitan() throws Exception {
		replay("PING", "?id=raw");
	}

	/**
	 * This node has no fixed-window rate limiter (its bound is the requests in flight per
	 * connection, answered with 429 when passed): with the defaults all four calls are answered.
	 */
	@Test
	void fourCallsBackToBackAreAllAnsweredWithoutALimiter() throws Exception {
		JsonNode frames = exchange("inbound rate limit 429").get("frames");
		try (RawWebSocket socket = titanConnection("raw")) {
			for (int i = 0; i < 4; i++) {
				socket.send(bytes(frames.get(i)));
			}
			List<Object> answers = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				Packet reply = nextPacket(socket);
				assertThat(reply.flags()).isEqualTo(0x03);
				answers.add(reply.data());
			}
			assertThat(answers).containsExactlyInAnyOrder(1, 2, 3, 4);
		}
	}

	// ------------------------------------------------------------------ replay

	/**
	 * Plays the exchange's client frames on a Titan-generation connection (the client-id of its
	 * first frame, or {@code raw}), and matches every server frame of the capture with one this
	 * node sent: replies by request id, stream packets in order.
	 */
	private void replay(String name, String query) throws Exception {
		JsonNode frames = exchange(name).get("frames");
		String clientId = query.startsWith("?id=") ? query.substring(4) : "raw";
		List<JsonNode> expected = new ArrayList<>();
		try (RawWebSocket socket = new RawWebSocket(url(query))) {
			expectIdFrame(socket);
			boolean identified = false;
			for (JsonNode frame : frames) {
				if (frame.get("dir").asText().equals("server->client")) {
					if (!frame.has("text")) {
						expected.add(frame);
					}
					continue;
				}
				if (frame.has("text")) {
					socket.sendText(frame.get("text").asText());
					clientId = frame.get("decoded").get("id").asText();
					identified = true;
					continue;
				}
				if (!identified) {
					socket.sendText(HandshakeFrame.clientId(clientId).toJson());
					identified = true;
				}
				socket.send(bytes(frame));
			}
			Map<Long, Long> streamIds = new LinkedHashMap<>();
			List<Packet> actual = new ArrayList<>();
			for (int i = 0; i < expected.size(); i++) {
				actual.add(nextPacket(socket));
			}
			for (JsonNode frame : expected) {
				Packet wanted = this.codec.decode(HEX.parseHex(frame.get("hex").asText()));
				Packet match = matching(wanted, actual, streamIds);
				assertThat(match).as("%s: an answer like %s among %s", name, frame.get("hex").asText(), actual).isNotNull();
				assertEquivalent(name, wanted, match, clientId, streamIds);
				actual.remove(match);
			}
			assertPingAnswered(socket);
			assertThat(socket.frames).as("%s: nothing more was sent", name).isEmpty();
		}
	}

	/** The actual packet that answers the same request (or, for stream packets, the next one of its kind). */
	private @Nullable Packet matching(Packet wanted, List<Packet> actual, Map<Long, Long> streamIds) {
		int type = wanted.flags() & PacketFlags.TYPE_MASK;
		for (Packet candidate : actual) {
			if ((candidate.flags() & PacketFlags.TYPE_MASK) != type || candidate.isImpulse() != wanted.isImpulse()) {
				continue;
			}
			if (type == PacketType.STREAM.wireValue()) {
				if (candidate.streamIndex() == wanted.streamIndex()
						&& streamIds.getOrDefault(wanted.streamId(), candidate.streamId()) == candidate.streamId()) {
					return candidate;
				}
			}
			else if (type == PacketType.STREAM_CLOSE.wireValue() || candidate.id() == wanted.id()) {
				return candidate;
			}
		}
		return null;
	}

	private void assertEquivalent(String name, Packet wanted, Packet actual, String clientId, Map<Long, Long> streamIds) {
		if (wanted.type() == PacketType.STREAM) {
			// live, as Titan streams every generator: 0x65 for data, 0x75 for the end
			assertThat(actual.flags()).as("%s: stream flags", name).isEqualTo(wanted.flags());
			assertThat(actual.data()).as("%s: chunk", name).isEqualTo(wanted.data());
			assertThat(streamIds.get(wanted.streamId())).as("%s: stream id", name).isEqualTo(actual.streamId());
			return;
		}
		assertThat(actual.flags()).as("%s: flags of %s", name, actual).isEqualTo(wanted.flags());
		Object expected = wanted.data();
		Object value = actual.data();
		if (expected instanceof TitanError titan) {
			assertThat(value).as("%s: error", name).isInstanceOf(TitanError.class);
			TitanError error = (TitanError) value;
			assertThat(error.name()).isEqualTo(titan.name());
			assertThat(error.code()).isEqualTo(titan.code());
			assertThat(error.getMessage()).isEqualTo(titan.getMessage().replace(CAPTURED_DEF_ID, this.defId));
			assertThat(error.details().keySet()).isEqualTo(titan.details().keySet());
			if (!titan.details().containsKey("hint")) {
				assertThat(error.details()).isEqualTo(titan.details());
			}
			assertThat(error.timestamp()).isInstanceOf(Double.class);
			assertThat(error.requestId()).isSameAs(Undefined.INSTANCE);
		}
		else if (expected instanceof JsError js) {
			assertThat(value).isInstanceOf(JsError.class).isNotInstanceOf(TitanError.class);
			assertThat(((JsError) value).name()).isEqualTo(js.name());
			assertThat(((JsError) value).getMessage()).isEqualTo(js.getMessage());
			assertThat(((JsError) value).type()).isEqualTo(js.type());
		}
		else if (expected instanceof Definition captured) {
			Definition definition = (Definition) value;
			// the capturing node had conformance@1.0.0 alone; this one also serves 2.0.0, the highest
			String qualifiedName = name.contains("versionless") ? "conformance@2.0.0" : captured.meta().qualifiedName();
			assertThat(definition.meta().qualifiedName()).isEqualTo(qualifiedName);
			assertThat(definition.id()).isEqualTo(this.netron.localPeer().services().get(qualifiedName).id());
			assertThat(definition.parentId()).isEqualTo(captured.parentId());
			assertThat(definition.peerId()).isEqualTo(this.netron.id());
			// the metadata in Titan's shape: argument objects, and the four keys Titan leaves undefined
			Map<String, ?> wire = definition.meta().wireForm();
			assertThat(new ArrayList<Object>(wire.keySet())).isEqualTo(new ArrayList<Object>(captured.meta().wireForm().keySet()));
			assertThat(((Map<?, ?>) ((Map<?, ?>) wire.get("methods")).get("add")).get("arguments"))
				.isEqualTo(((Map<?, ?>) ((Map<?, ?>) captured.meta().wireForm().get("methods")).get("add")).get("arguments"));
			assertThat(wire.get("contract")).isSameAs(Undefined.INSTANCE);
			if (qualifiedName.equals(captured.meta().qualifiedName())) {
				assertThat(definition.meta().methods()).containsKeys(
						captured.meta().methods().keySet().toArray(new String[0]));
				assertThat(definition.meta().properties()).containsKeys(
						captured.meta().properties().keySet().toArray(new String[0]));
			}
			assertThat(definition.meta().properties().get("version").readonly()).isTrue();
		}
		else if (expected instanceof StreamReference captured) {
			StreamReference reference = (StreamReference) value;
			assertThat(reference.type()).isEqualTo(captured.type());
			assertThat(reference.live()).isEqualTo(captured.live());
			assertThat(reference.peerId()).as("%s: the reference names the caller", name).isEqualTo(clientId);
			streamIds.put(captured.streamId(), reference.streamId());
		}
		else if (expected instanceof Map<?, ?> close && wanted.type() == PacketType.STREAM_CLOSE) {
			Map<?, ?> data = (Map<?, ?>) value;
			assertThat(new ArrayList<Object>(data.keySet())).containsExactly("streamId", "reason");
			assertThat(((Number) data.get("streamId")).longValue())
				.isEqualTo(streamIds.get(((Number) close.get("streamId")).longValue()));
			assertThat(data.get("reason")).isEqualTo(close.get("reason"));
		}
		else {
			assertThat(HEX.formatHex(this.codec.encode(actual))).as("%s: bytes", name)
				.isEqualTo(HEX.formatHex(this.codec.encode(wanted)));
		}
	}

	// ------------------------------------------------------------------ helpers

	private JsonNode exchange(String name) {
		for (JsonNode exchange : this.exchanges) {
			if (exchange.get("name").asText().equals(name)) {
				return exchange;
			}
		}
		throw new IllegalArgumentException("No exchange " + name);
	}

	/** A client frame with the captured definition id replaced by this node's (same length). */
	private byte[] bytes(JsonNode frame) {
		String hex = frame.get("hex").asText();
		String captured = HEX.formatHex(CAPTURED_DEF_ID.getBytes(StandardCharsets.US_ASCII));
		return HEX.parseHex(hex.replace(captured, HEX.formatHex(this.defId.getBytes(StandardCharsets.US_ASCII))));
	}

	private String url(String query) {
		return "ws://127.0.0.1:" + this.port + "/netron" + query;
	}

	private RawWebSocket titanConnection(String clientId) throws Exception {
		RawWebSocket socket = new RawWebSocket(url("?id=" + clientId));
		expectIdFrame(socket);
		socket.sendText(HandshakeFrame.clientId(clientId).toJson());
		return socket;
	}

	/** The server's id frame: JSON text (which seed-era and Titan clients both read). */
	private void expectIdFrame(RawWebSocket socket) throws InterruptedException {
		Object frame = socket.next();
		assertThat(frame).isInstanceOf(String.class);
		HandshakeFrame id = HandshakeFrame.parse((String) frame);
		assertThat(id.isServerId()).isTrue();
		assertThat(id.id()).isEqualTo(this.netron.id());
	}

	private void assertPingAnswered(RawWebSocket socket) throws InterruptedException {
		socket.send(HEX.parseHex("7a0000ff40cf0000018bcfe56800"));
		Packet pong = nextPacket(socket);
		assertThat(pong.id()).isEqualTo(0x7a0000ffL);
		assertThat(pong.flags()).isEqualTo(0x00);
		// the data echoed: the same JavaScript number, which Java writes as a float64 like Titan
		assertThat(((Number) pong.data()).doubleValue()).isEqualTo(1.7e12);
	}

	private Packet nextPacket(RawWebSocket socket) throws InterruptedException {
		Object frame = socket.next();
		assertThat(frame).as("a packet within 5 s").isInstanceOf(byte[].class);
		return this.codec.decode((byte[]) frame);
	}

}
