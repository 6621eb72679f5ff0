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

	/** Methods whose exchanges need streams: skipped until streams are supported. */
	private static final Set<String> STREAM_METHODS = Set.of("numbers", "numbersEager", "sumStream");

	/**
	 * Known differences, each with its reason: the stream-typed members' type names, which the
	 * TypeScript decorator takes from its stream classes, until streams are supported.
	 */
	private static final Map<String, String> KNOWN_GAPS = Map.of(
			"methods.numbers.type", "NetronWritableStream until streams are supported",
			"methods.numbersEager.type", "NetronWritableStream until streams are supported",
			"methods.sumStream.arguments[0]", "NetronReadableStream until streams are supported");

	@LocalServerPort
	int port;

	private final PacketCodec codec = new PacketCodec();

	private final Map<String, String> ids = new LinkedHashMap<>();

	private final List<String> mismatches = new ArrayList<>();

	@Test
	void typeScriptClientConversationGetsEquivalentAnswers() throws Exception {
		JsonNode connection = transcript().path("connections").get(0);
		String requestUrl = connection.path("requestUrl").asText();
		List<Long> skippedRequests = new ArrayList<>();
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
					if (isStream(expected) || isStreamCall(expected)) {
						skippedRequests.add(expected.id());
						continue;
					}
					long id = expected.isImpulse() ? expected.id() : serverRequestIds.get(expected.id());
					socket.send(this.codec.encode(new Packet(id, expected.flags(), translate(expected.data()),
							expected.streamId(), expected.streamIndex())));
					replayed++;
					continue;
				}
				if (isStream(expected) || (!expected.isImpulse() && skippedRequests.contains(expected.id()))) {
					continue;
				}
				Packet actual = take(socket, unmatched, expected, where);
				if (expected.isImpulse()) {
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
		// every frame of the transcript but the stream exchanges (5,120 frames, skipped until streams land)
		assertThat(replayed).as("frames replayed and checked").isEqualTo(266);
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

	private static boolean isStreamCall(Packet packet) {
		return packet.isImpulse() && packet.type() == PacketType.CALL && packet.data() instanceof List<?> data
				&& data.size() > 1 && STREAM_METHODS.contains(data.get(1));
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
				boolean matches = expected.isImpulse()
						? candidate.isImpulse() && candidate.flags() == expected.flags() && sameTask(expected, candidate)
						: !candidate.isImpulse() && candidate.id() == expected.id();
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
			unifyMeta(a.meta().toWire(), b.meta().toWire(), path + ".meta");
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

	private void unifyMeta(Map<String, Object> expected, Map<String, Object> actual, String path) {
		Map<String, Object> adjusted = new LinkedHashMap<>(actual);
		@SuppressWarnings("unchecked")
		Map<String, Object> methods = new LinkedHashMap<>((Map<String, Object>) actual.get("methods"));
		@SuppressWarnings("unchecked")
		Map<String, Object> expectedMethods = (Map<String, Object>) expected.get("methods");
		for (String gap : KNOWN_GAPS.keySet()) {
			String method = gap.split("\\.")[1];
			if (methods.containsKey(method) && expectedMethods.containsKey(method)) {
				methods.put(method, expectedMethods.get(method));
			}
		}
		adjusted.put("methods", methods);
		unify(expected, adjusted, path);
	}

	private void check(boolean equal, String path, @Nullable Object expected, @Nullable Object actual) {
		if (!equal) {
			this.mismatches.add(path + ": expected " + expected + " but got " + actual);
		}
	}

}
