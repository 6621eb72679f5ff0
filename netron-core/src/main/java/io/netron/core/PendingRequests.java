package io.netron.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketType;
import io.netron.protocol.ProtocolException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests this node sent to one peer and waits for, by packet id: each ends exactly once,
 * with the peer's answer, a timeout (swept by the node), an undecodable answer, or the loss of
 * the connection.
 */
final class PendingRequests {

	private static final Logger logger = LoggerFactory.getLogger(PendingRequests.class);

	private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

	/** {@return the requests waiting for an answer} */
	int size() {
		return this.pending.size();
	}

	/**
	 * Starts waiting for the answer to request {@code packetId}.
	 * @param beforeServicesKnown whether it goes out on a connection whose services are not known yet
	 */
	CompletableFuture<@Nullable Object> add(long packetId, PacketType type, String what, long deadlineNanos,
			boolean beforeServicesKnown) {
		Pending request = new Pending(type, what, deadlineNanos, beforeServicesKnown);
		this.pending.put(packetId, request);
		// a caller that gives up (a cancelled coroutine, for one) stops waiting: its answer, if one comes, is dropped
		request.future.whenComplete((value, failure) -> {
			if (failure instanceof java.util.concurrent.CancellationException) {
				this.pending.remove(packetId, request);
			}
		});
		return request.future;
	}

	/** Forgets a request that could not be sent. */
	void remove(long packetId) {
		this.pending.remove(packetId);
	}

	/** An answer arrived. */
	void complete(Packet response, String peer) {
		Pending request = this.pending.remove(response.id());
		if (request == null) {
			logger.debug("Ignored response {} from {}: no request waits for it (timed out?)", response.id(), peer);
			return;
		}
		if (response.isError()) {
			JsError error = (response.data() instanceof JsError js) ? js
					: JsError.of(JsErrorType.ERROR, String.valueOf(response.data()));
			request.future.completeExceptionally(RemoteInvocationException.of(error, request.beforeServicesKnown));
		}
		else {
			request.future.complete(response.data());
		}
	}

	/** An answer arrived that could not be decoded. */
	void failUndecodable(long packetId, String peer, String reason) {
		Pending request = this.pending.remove(packetId);
		if (request != null) {
			request.future.completeExceptionally(new ProtocolException(
					"Undecodable response to " + request.type + " " + request.what + " from " + peer + ": " + reason));
		}
		else {
			logger.debug("Dropped undecodable response from {}: {}", peer, reason);
		}
	}

	/** Fails the requests whose deadline passed. */
	void expire(long now, String peer, long timeoutMillis) {
		if (this.pending.isEmpty()) {
			return;
		}
		for (Map.Entry<Long, Pending> entry : this.pending.entrySet()) {
			Pending request = entry.getValue();
			if (now - request.deadline >= 0 && this.pending.remove(entry.getKey(), request)) {
				request.future.completeExceptionally(new NetronTimeoutException("Request timeout exceeded: no answer to "
						+ request.type + " " + request.what + " from " + peer + " within " + timeoutMillis + " ms"));
			}
		}
	}

	/** Fails every request at once (the connection was lost): {@code failure} says why, given what was asked. */
	void failAll(Function<String, RuntimeException> failure) {
		for (Map.Entry<Long, Pending> entry : List.copyOf(this.pending.entrySet())) {
			if (this.pending.remove(entry.getKey(), entry.getValue())) {
				Pending request = entry.getValue();
				request.future.completeExceptionally(failure.apply(request.type + " " + request.what));
			}
		}
	}

	private static final class Pending {

		final CompletableFuture<@Nullable Object> future = new CompletableFuture<>();

		final PacketType type;

		final String what;

		final long deadline;

		final boolean beforeServicesKnown;

		Pending(PacketType type, String what, long deadline, boolean beforeServicesKnown) {
			this.type = type;
			this.what = what;
			this.deadline = deadline;
			this.beforeServicesKnown = beforeServicesKnown;
		}

	}

}
