package io.netron.observation;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.netron.observation.NetronRequestObservationContext.Outcome;
import io.netron.protocol.PacketType;
import org.jspecify.annotations.Nullable;

/**
 * The key values both default conventions give an observation: low cardinality {@code netron.type},
 * {@code netron.service}, {@code netron.member}, {@code outcome}, {@code netron.transport}
 * ({@code websocket} or {@code http}) and {@code netron.error} (the
 * error's name as JavaScript sees it; Micrometer's meter handler adds {@code error}, the exception
 * class); high cardinality {@code netron.peer.id}. Never argument values or request ids.
 */
final class NetronRequestKeyValues {

	/** The type: {@code call}, {@code get}, {@code set} or {@code task}. */
	static final String TYPE = "netron.type";

	/** The service's qualified name, {@code none} for a task. */
	static final String SERVICE = "netron.service";

	/** The method, property or task name. */
	static final String MEMBER = "netron.member";

	/** {@code SUCCESS}, {@code ERROR}, {@code TIMEOUT} or {@code DISCONNECTED}. */
	static final String OUTCOME = "outcome";

	/** The error's name, {@code none} for a success. */
	static final String ERROR = "netron.error";

	/** What the request came over: {@code websocket} or {@code http}. */
	static final String TRANSPORT = "netron.transport";

	/** The peer's node id (high cardinality). */
	static final String PEER_ID = "netron.peer.id";

	private NetronRequestKeyValues() {
	}

	/**
	 * The key values of requests that ended without an error, made once per combination: building
	 * and sorting them was a fifth of what observing a request cost. Errors (whose names a peer
	 * chooses) are not kept, and the cache stops growing at {@value #MOST_CACHED} combinations.
	 */
	private static final Map<LowKey, KeyValues> CACHE = new ConcurrentHashMap<>();

	private static final int MOST_CACHED = 10_000;

	private record LowKey(PacketType type, @Nullable String service, String member, Outcome outcome, String transport) {
	}

	static KeyValues low(NetronRequestObservationContext context) {
		if (context.getErrorName() != null) {
			return make(context);
		}
		LowKey key = new LowKey(context.getType(), context.getService(), context.getMember(), context.getOutcome(),
				context.getTransport());
		KeyValues known = CACHE.get(key);
		if (known != null) {
			return known;
		}
		KeyValues made = make(context);
		if (CACHE.size() < MOST_CACHED) {
			CACHE.putIfAbsent(key, made);
		}
		return made;
	}

	private static KeyValues make(NetronRequestObservationContext context) {
		String service = context.getService();
		String error = context.getErrorName();
		return KeyValues.of(KeyValue.of(TYPE, context.getType().name().toLowerCase(Locale.ROOT)),
				KeyValue.of(SERVICE, (service != null) ? service : "none"), KeyValue.of(MEMBER, context.getMember()),
				KeyValue.of(OUTCOME, context.getOutcome().name()), KeyValue.of(ERROR, (error != null) ? error : "none"),
				KeyValue.of(TRANSPORT, context.getTransport()));
	}

	static KeyValues high(NetronRequestObservationContext context) {
		return KeyValues.of(PEER_ID, context.getPeerId());
	}

	static String contextualName(String side, NetronRequestObservationContext context) {
		String service = context.getService();
		return "netron " + side + " " + context.getType().name().toLowerCase(Locale.ROOT) + " "
				+ ((service != null) ? service + "." + context.getMember() : context.getMember());
	}

}
