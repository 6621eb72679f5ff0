package io.netron.sample;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netron.core.RawWebSocket;
import io.netron.protocol.Definition;
import io.netron.protocol.JsError;
import io.netron.protocol.JsMap;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketFlags;
import io.netron.protocol.PacketType;
import io.netron.protocol.Reference;
import io.netron.protocol.StreamReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Replays the TypeScript reference client's side of {@code transcript.json} (every frame it
 * sent to the TypeScript reference server) against this application, and checks that each
 * answer is equivalent to the TypeScript server's: same frame kinds, flags, values, types,
 * errors and event payloads. Ids may differ: every UUID is matched one-to-one between the
 * transcript and this run, and request ids the server chooses are mapped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.demo.enabled=false", "netron.allow-service-events=true" })
class TranscriptReplayTests {

	private static final HexFormat HEX = HexFormat.of();

	private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");


	@LocalServerPort
	int port;

	private final PacketCodec codec = new PacketCodec();

	private final Map<String, String> ids = new LinkedHashMap<>();

	/** Stream ids the server chose: the transcript's to this run's. */
	private final Map<Long, Long> streamIds = new LinkedHashMap<>();

	private final List<String> mismatches = new ArrayList<>();

	@Test
	void typeScriptClientConversationGetsEquivalentAnswers() throws Exception {
		JsonNode connection = transcript().path("connections").get(0);
		String requestUrl = connection.path("requestUrl").asText();
		Map<Long, Long> serverRequestIds = new LinkedHashMap<>();
		List<Object> unmatched = new ArrayList<>();
		int replayed = 0;
		try (RawWebSocket socket = new RawWebSocket("ws://127.0.0.1:" + this.port + requestUrl)) {
			for (JsonNode frame : connection.path("frames")) {
				String where = "frame " + frame.path("seq").asInt();
				boolean fromServer = frame.path("dir").asText().equals("server->client");
				if (frame.path("kind").asText().equals("text")) {
					Object actual = socket.next();
					assertThat(actual).as(where).isInstanceOf(String.class);
					unify(new ObjectMapper().readValue(frame.path("text").asText(), Map.class),
							new ObjectMapper().readValue((String) actual, Map.class), where);
					continue;
				}
				Packet expected = this.codec.decode(HEX.parseHex(frame.path("hex").asText()));
				if (!fromServer) {
					long id = expected.isImpulse() ? expected.id() : serverRequestIds.get(expected.id());
					socket.send(this.codec.encode(new Packet(id, expected.flags(), translate(expected.data()),
							expected.streamId(), expected.streamIndex())));
					replayed++;
					continue;
				}
				Packet actual = take(socket, unmatched, expected, where);
				if (expected.isImpulse() && !isStream(expected)) {
					serverRequestIds.put(expected.id(), actual.id());
				}
				check(actual.flags() == expected.flags(), where + ".flags", expected.flags() + " " + expected.data(),
						actual.flags() + " " + actual.data());
				unify(expected.data(), actual.data(), where);
				replayed++;
			}
		}
		assertThat(this.mismatches).isEmpty();
		assertThat(unmatched).as("answers the transcript does not have").isEmpty();
		// every binary frame of the transcript: the text handshake is checked apart
		assertThat(replayed).as("frames replayed and checked").isEqualTo(connection.path("frames").size() - 1);
	}

	private static JsonNode transcript() throws IOException {
		try (InputStream in = TranscriptReplayTests.class.getResourceAsStream("/transcript.json")) {
			return new ObjectMapper().readTree(in);
		}
	}

	private static boolean isStream(Packet packet) {
		int type = packet.flags() & PacketFlags.TYPE_MASK;
		return type == PacketType.STREAM.wireValue() || type == PacketType.STREAM_ERROR.wireValue();
	}

	/**
	 * The next frame answering {@code expected}: the response with its id, or the next request
	 * of its kind (the server's own requests, such as {@code emit}, carry ids of its choosing).
	 */
	private Packet take(RawWebSocket socket, List<Object> unmatched, Packet expected, String where)
			throws InterruptedException {
		while (true) {
			for (Iterator<Object> it = unmatched.iterator(); it.hasNext();) {
				Packet candidate = (Packet) it.next();
				boolean matches;
				if (isStream(expected)) {
					// chunks carry the stream id the server chose and their index
					Long streamId = this.streamIds.get(expected.streamId());
					matches = isStream(candidate) && streamId != null && candidate.streamId() == streamId
							&& candidate.streamIndex() == expected.streamIndex();
				}
				else if (expected.isImpulse()) {
					matches = candidate.isImpulse() && !isStream(candidate) && candidate.flags() == expected.flags()
							&& sameTask(expected, candidate);
				}
				else {
					matches = !candidate.isImpulse() && candidate.id() == expected.id();
				}
				if (matches) {
					it.remove();
					return candidate;
				}
			}
			Object frame = socket.next();
			if (frame == null) {
				fail(where + ": no frame answering " + expected + " within 5 s; unmatched so far: " + unmatched);
			}
			assertThat(frame).as(where).isInstanceOf(byte[].class);
			unmatched.add(this.codec.decode((byte[]) frame));
		}
	}

	private static boolean sameTask(Packet expected, Packet actual) {
		return (expected.data() instanceof List<?> a && actual.data() instanceof List<?> b && !a.isEmpty() && !b.isEmpty())
				? Objects.equals(a.get(0), b.get(0)) && (a.size() < 2 || Objects.equals(a.get(1), b.get(1)))
				: true;
	}

	/** Client data with every UUID learned so far replaced by this run's. */
	private @Nullable Object translate(@Nullable Object value) {
		if (value instanceof String text && UUID.matcher(text).matches()) {
			return this.ids.getOrDefault(text, text);
		}
		if (value instanceof Reference reference) {
			return new Reference((String) translate(reference.defId()));
		}
		if (value instanceof StreamReference reference) {
			return new StreamReference(reference.streamId(), reference.type(), reference.live(),
					(String) translate(reference.peerId()));
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>();
			list.forEach((item) -> copy.add(translate(item)));
			return copy;
		}
		if (value instanceof JsMap map) {
			JsMap copy = new JsMap();
			map.forEach((key, item) -> copy.put(translate(key), translate(item)));
			return copy;
		}
		if (value instanceof Map<?, ?> map) {
			Map<Object, Object> copy = new LinkedHashMap<>();
			map.forEach((key, item) -> copy.put(key, translate(item)));
			return copy;
		}
		return value;
	}

	/** Records each difference between the TypeScript answer and this one, learning UUIDs. */
	private void unify(@Nullable Object expected, @Nullable Object actual, String path) {
		if (expected instanceof String a && actual instanceof String b && UUID.matcher(a).matches()
				&& UUID.matcher(b).matches()) {
			String known = this.ids.get(a);
			if (known == null && !this.ids.containsValue(b)) {
				this.ids.put(a, b);
			}
			else if (!b.equals(known)) {
				this.mismatches.add(path + ": id " + a + " maps to " + known + " but got " + b);
			}
			return;
		}
		if (expected instanceof Definition a && actual instanceof Definition b) {
			unify(a.id(), b.id(), path + ".id");
			unify(a.parentId().isEmpty() ? null : a.parentId(), b.parentId().isEmpty() ? null : b.parentId(), path + ".parentId");
			unify(a.peerId(), b.peerId(), path + ".peerId");
			unify(a.meta().toWire(), b.meta().toWire(), path + ".meta");
			return;
		}
		if (expected instanceof StreamReference a && actual instanceof StreamReference b) {
			Long known = this.streamIds.putIfAbsent(a.streamId(), b.streamId());
			check(known == null || known == b.streamId(), path + ".streamId", a.streamId(), b.streamId());
			check(a.type() == b.type() && a.live() == b.live(), path, a, b);
			unify(a.peerId(), b.peerId(), path + ".peerId");
			return;
		}
		if (expected instanceof Reference a && actual instanceof Reference b) {
			unify(a.defId(), b.defId(), path + ".defId");
			return;
		}
		if (expected instanceof JsError a && actual instanceof JsError b) {
			check(a.type() == b.type() && a.name().equals(b.name()) && a.getMessage().equals(b.getMessage())
					&& Objects.equals(a.stack(), b.stack()), path, a, b);
			unify(a.customFields(), b.customFields(), path + ".customFields");
			return;
		}
		if (expected instanceof Map<?, ?> a && actual instanceof Map<?, ?> b) {
			check((a instanceof JsMap) == (b instanceof JsMap) && a.size() == b.size(), path, a, b);
			Iterator<? extends Map.Entry<?, ?>> left = a.entrySet().iterator();
			Iterator<? extends Map.Entry<?, ?>> right = b.entrySet().iterator();
			while (left.hasNext() && right.hasNext()) {
				Map.Entry<?, ?> l = left.next();
				Map.Entry<?, ?> r = right.next();
				unify(l.getKey(), r.getKey(), path + ".<key>");
				unify(l.getValue(), r.getValue(), path + "." + l.getKey());
			}
			return;
		}
		if (expected instanceof Iterable<?> a && actual instanceof Iterable<?> b
				&& (expected instanceof Set) == (actual instanceof Set)) {
			Iterator<?> left = a.iterator();
			Iterator<?> right = b.iterator();
			int index = 0;
			while (left.hasNext() && right.hasNext()) {
				unify(left.next(), right.next(), path + "[" + index++ + "]");
			}
			check(!left.hasNext() && !right.hasNext(), path + ".length", a, b);
			return;
		}
		if (expected instanceof byte[] a && actual instanceof byte[] b) {
			check(Arrays.equals(a, b), path, "binary(" + a.length + ")", "binary(" + b.length + ")");
			return;
		}
		check(Objects.equals(expected, actual) && (expected == null || expected.getClass() == actual.getClass()), path,
				expected, actual);
	}

	private void check(boolean equal, String path, @Nullable Object expected, @Nullable Object actual) {
		if (!equal) {
			this.mismatches.add(path + ": expected " + expected + " but got " + actual);
		}
	}

}
