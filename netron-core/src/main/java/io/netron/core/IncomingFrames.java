package io.netron.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.micrometer.observation.Observation;
import io.netron.NetronException;
import io.netron.observation.NetronRequestObservationContext;
import io.netron.observation.NetronRequestObservationContext.Outcome;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.MalformedPacketException;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketFlags;
import io.netron.protocol.PacketType;
import io.netron.protocol.ProtocolException;
import io.netron.protocol.StreamReference;
import io.netron.protocol.Undefined;
import io.netron.stream.StreamRegistry;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What one peer sends: frames are decoded here (on the transport's thread), answers go to the
 * {@link PendingRequests}, stream packets to the {@link StreamRegistry}, and requests are served
 * on the node's workers against the local services. Every request gets exactly one answer (its
 * result, or an error naming what went wrong) or its connection closes.
 */
final class IncomingFrames {

	private static final Logger logger = LoggerFactory.getLogger(IncomingFrames.class);


	private final RemotePeer peer;

	private final Netron netron;

	private final PendingRequests pending;

	private final StreamRegistry streams;

	/** {@code emit} tasks run one after the other, so that a peer's events arrive in order. */
	private final SerialExecutor eventExecutor;

	IncomingFrames(RemotePeer peer, Netron netron, PendingRequests pending, StreamRegistry streams) {
		this.peer = peer;
		this.netron = netron;
		this.pending = pending;
		this.streams = streams;
		this.eventExecutor = new SerialExecutor(netron.workers());
	}

	void onFrame(PeerLink source, byte[] frame) {
		MemoryBudget.Account memory = source.memory();
		// room for what the frame decodes to, made before decoding (the heaviest connection may go
		// to make it): the frame's size, which a frame of strings takes again as objects
		long reserved = memory.take(frame.length) ? frame.length : 0;
		long kept = 0;
		try {
			kept = onFrame(source, frame, memory, reserved);
		}
		finally {
			if (reserved > kept) {
				memory.give(reserved - kept);
			}
		}
	}

	/** @return how much of {@code reserved} a request took over, to give back once answered */
	private long onFrame(PeerLink source, byte[] frame, MemoryBudget.Account memory, long reserved) {
		Packet packet;
		long objectBytes;
		try {
			// what it decodes to may not take more than the node has left
			PacketCodec.Decoded decoded = this.netron.codec()
				.decodeCounted(frame, source.dialect.strictFrames(), reserved + memory.available());
			packet = decoded.packet();
			objectBytes = decoded.objectBytes();
		}
		catch (MalformedPacketException ex) {
			onMalformed(source, ex);
			return 0;
		}
		if (logger.isTraceEnabled()) {
			logger.trace("<- {} packet {} flags 0x{} from {}", packet.isImpulse() ? "request" : "response", packet.id(),
					Integer.toHexString(packet.flags()), this.peer.describe());
		}
		if (!packet.isImpulse()) {
			this.pending.complete(packet, this.peer.describe());
			return 0;
		}
		int type = packet.flags() & PacketFlags.TYPE_MASK;
		if (type == PacketType.STREAM.wireValue()) {
			this.streams.onChunk(packet.streamId(), packet.streamIndex(), packet.data(), packet.isEndOfStream(),
					packet.isLive(), frame.length);
			return 0;
		}
		if (type == PacketType.STREAM_ERROR.wireValue()) {
			this.streams.onError(packet.data());
			return 0;
		}
		if (type == PacketType.STREAM_CLOSE.wireValue()) {
			this.streams.onClose(packet.data());
			return 0;
		}
		if (type == PacketType.PING.wireValue()) {
			// answered at once, on this thread: the data echoed, flags 0x00
			send(source, this.netron.codec().encode(Packet.response(packet.id(), PacketType.PING, packet.data())));
			return 0;
		}
		int limit = this.netron.options().limits().maxRequestsInFlight();
		if (!source.admit(limit)) {
			// refused at once: a queue that grows with what one client sends is what the limit prevents
			respondError(source, packet.id(), packet.flags(), Refusal.of(JsError.named(RemoteOverloadedException.ERROR_NAME,
					"Request " + packet.id() + " refused: this connection already has " + limit
							+ " requests in flight on node " + this.netron.id() + " (netron.server.max-requests-in-flight)"),
					Refusal.TOO_MANY_REQUESTS));
			return 0;
		}
		// the request's frame and objects are held until it is answered: drawn from the node's budget
		long held = frame.length + objectBytes;
		if (held > reserved && !memory.take(held - reserved)) {
			source.release();
			respondError(source, packet.id(), packet.flags(), Refusal.of(JsError.named(RemoteOverloadedException.ERROR_NAME,
					"Request " + packet.id() + " refused: node " + this.netron.id() + " is over its memory budget of "
							+ this.netron.memory().limit() + " bytes (netron.server.max-buffered-bytes)"),
					Refusal.SERVICE_UNAVAILABLE));
			return 0;
		}
		ServiceStub inlineTarget = inlineTarget(packet);
		if (inlineTarget != null) {
			serve(source, packet, inlineTarget, held);
			return reserved;
		}
		Executor executor = isEmitTask(packet) ? this.eventExecutor : this.netron.workers();
		try {
			executor.execute(() -> serve(source, packet, null, held));
		}
		catch (RejectedExecutionException ex) {
			memory.give(held);
			source.release();
			respondError(source, packet.id(), packet.flags(), Refusal.of(JsError.named(RemoteOverloadedException.ERROR_NAME,
					"Node " + this.netron.id() + " is overloaded: request " + packet.id() + " was rejected"),
					Refusal.SERVICE_UNAVAILABLE));
		}
		return reserved;
	}

	/**
	 * The service of a request served on this thread: a call, read or write of a member that is
	 * {@link io.netron.annotation.Execution#INLINE}; {@code null} for anything else, and for anything
	 * malformed, which goes the usual way, to a worker that answers it with the error.
	 */
	private @Nullable ServiceStub inlineTarget(Packet packet) {
		int type = packet.flags() & PacketFlags.TYPE_MASK;
		if ((type != PacketType.CALL.wireValue() && type != PacketType.GET.wireValue()
				&& type != PacketType.SET.wireValue()) || !(packet.data() instanceof List<?> data) || data.size() < 2
				|| !(data.get(0) instanceof String defId) || !(data.get(1) instanceof String member)) {
			return null;
		}
		ServiceStub stub = this.netron.localPeer().findStub(defId);
		return (stub != null && stub.runsInline(member)) ? stub : null;
	}

	/** Tasks still served while draining: they only deliver events or release resources. */
	private static boolean isHousekeepingTask(Packet packet) {
		return packet.type() == PacketType.TASK && packet.data() instanceof List<?> data && !data.isEmpty()
				&& (data.get(0) instanceof String name)
				&& (name.equals("emit") || name.equals("unsubscribe") || name.equals("unref_service"));
	}

	private static boolean isEmitTask(Packet packet) {
		return packet.type() == PacketType.TASK && packet.data() instanceof List<?> data && !data.isEmpty()
				&& "emit".equals(data.get(0));
	}

	private void onMalformed(PeerLink source, MalformedPacketException ex) {
		if (!ex.hasHeader()) {
			logger.debug("Dropped undecodable frame from {}: {}", this.peer.describe(), ex.getMessage());
			return;
		}
		if ((ex.flags() & PacketFlags.IMPULSE) != 0 && ex.isOverBudget()) {
			// nothing wrong with the request: the node has no room for it now
			respondError(source, ex.packetId(), ex.flags(), Refusal.of(JsError.named(RemoteOverloadedException.ERROR_NAME,
					"Request " + ex.packetId() + " refused: node " + this.netron.id() + " is over its memory budget of "
							+ this.netron.memory().limit() + " bytes (netron.server.max-buffered-bytes): "
							+ ex.getMessage().replaceFirst("^Packet \\d+ refused: ", "")),
					Refusal.SERVICE_UNAVAILABLE));
			return;
		}
		if ((ex.flags() & PacketFlags.IMPULSE) != 0) {
			logger.debug("Answering undecodable request from {} with an error: {}", this.peer.describe(), ex.getMessage());
			respondError(source, ex.packetId(), ex.flags(), Refusal.error(Refusal.BAD_REQUEST, ex.getMessage()));
			return;
		}
		this.pending.failUndecodable(ex.packetId(), this.peer.describe(), ex.getMessage());
	}

	/**
	 * Serves one request: exactly one answer goes back (the result, or an error naming what went
	 * wrong), and the node's in-flight count taken for it is given back when it is answered or
	 * when its connection closes, whichever comes first.
	 * @param inlineTarget the service of a request served inline on this thread, resolved already;
	 *        {@code null} on a worker
	 */
	private void serve(PeerLink source, Packet packet, @Nullable ServiceStub inlineTarget, long held) {
		if (!this.netron.beginRequest()) {
			if (!isHousekeepingTask(packet)) {
				source.memory().give(held);
				source.release();
				respondError(source, packet.id(), packet.flags(), Refusal.error(Refusal.SERVICE_UNAVAILABLE,
						"Node " + this.netron.id() + " is shutting down: request refused"));
				return;
			}
			answer(source, packet, false, inlineTarget, held);
			return;
		}
		answer(source, packet, source.track(this.netron), inlineTarget, held);
	}

	/** @param held the request's bytes drawn from the node's memory budget, given back once it is answered */
	private void answer(PeerLink source, Packet packet, boolean counted, @Nullable ServiceStub inlineTarget, long held) {
		CompletableFuture<@Nullable Object> result;
		NetronContext context = null;
		Observation observation = Observation.NOOP;
		try {
			PacketType type = packet.type();
			List<@Nullable Object> data = arguments(packet);
			// resolved once, before any binding: an unknown definition fails here
			ServiceStub stub = (inlineTarget != null) ? inlineTarget : target(type, data);
			String member = text(data, (stub != null) ? 1 : 0, type);
			context = this.netron.context(this.peer, source, packet.id(), type,
					(stub != null) ? stub.definition().meta().qualifiedName() : null, member);
			if (inlineTarget != null) {
				context.servedInlineHere();
			}
			observation = this.netron.isObserving() ? this.netron.observeServed(context,
					NetronRequestObservationContext.WEBSOCKET, observedMember(stub, member))
					: Observation.NOOP;
			try (Observation.Scope observed = observation.openScope(); NetronContext.Scope scope = context.open()) {
				result = dispatch(source.dialect, type, stub, member, data);
			}
		}
		catch (Throwable ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		NetronContext request = context;
		Observation served = observation;
		// handle, not whenComplete: a dependent stage of a failed future would wrap (and print)
		// the failure again, and a service's exception may not even survive that
		result.handle((value, failure) -> {
			// the connection's place is given back before the answer leaves: a client that sends its
			// next request as soon as an answer comes must find the place free
			source.release();
			try {
				if (failure != null) {
					JsError error = toJsErrorSafely(failure, packet, request);
					respondError(source, packet.id(), packet.flags(), error);
					report(served, failure, error, packet, request);
				}
				else {
					respond(source, packet, value);
					report(served, null, null, packet, request);
				}
			}
			catch (Throwable ex) {
				// the answer itself could not be written: the connection cannot keep its promise
				// of one answer per request, so it closes and the peer fails the call at once
				logger.error("Cannot answer request {} from {}; closing the connection", packet.id(), this.peer.describe(),
						ex);
				Connection connection = source.connection;
				if (connection != null) {
					connection.close(1011, "cannot answer request " + packet.id());
				}
			}
			finally {
				source.memory().give(held);
				if (counted) {
					source.end(this.netron);
				}
			}
			return null;
		});
	}

	/**
	 * Ends the request's observation and logs its failure, after the answer went out: neither may
	 * keep the request from its answer, whatever the failure's {@code getMessage} does.
	 */
	private void report(Observation observation, @Nullable Throwable failure, @Nullable JsError error, Packet packet,
			@Nullable NetronContext request) {
		try {
			if (failure != null && error != null) {
				logFailure(failure, error, packet, request);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot log the failure of request {} from {}: {}", packet.id(), this.peer.describe(), ex.toString());
		}
		finally {
			try {
				end(observation, failure, error);
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot end the observation of request {} from {}", packet.id(), this.peer.describe(), ex);
			}
		}
	}

	private void end(Observation observation, @Nullable Throwable failure, @Nullable JsError error) {
		if (observation.isNoop()) {
			return;
		}
		if (observation.getContext() instanceof NetronRequestObservationContext context) {
			context.setEnd((failure != null) ? Outcome.ERROR : Outcome.SUCCESS,
					this.netron.observedErrorName((error != null) ? error.name() : null));
		}
		if (failure != null) {
			observation.error(Failures.unwrap(failure));
		}
		observation.stop();
	}

	/**
	 * An exception escaping a service method is logged at WARN, one line with the service, member
	 * and peer (the stack at DEBUG); answers the node or the service chose on purpose (a
	 * {@code JsError} thrown deliberately, an unknown member, a refusal) stay at DEBUG.
	 */
	private void logFailure(Throwable failure, JsError error, Packet packet, @Nullable NetronContext request) {
		Throwable cause = Failures.unwrap(failure);
		boolean expected = cause instanceof JsError || cause instanceof NetronException
				|| RemoteAccessDeniedException.ERROR_NAME.equals(error.name()) || request == null;
		if (expected ? !logger.isDebugEnabled() : !logger.isWarnEnabled()) {
			return;
		}
		try (MDC.MDCCloseable peer = MDC.putCloseable(NetronContext.MDC_PEER_ID, this.peer.id());
				MDC.MDCCloseable id = MDC.putCloseable(NetronContext.MDC_REQUEST_ID, Long.toString(packet.id()))) {
			String what = (request != null) ? request.describeMember() : "request " + packet.id();
			if (expected) {
				logger.debug("{} for {} answered with {}: {}", what, this.peer.describe(), error.name(), error.getMessage());
			}
			else {
				logger.warn("{} failed for {}: {}: {} (stack trace at DEBUG)", what, this.peer.describe(),
						cause.getClass().getName(), cause.getMessage());
				logger.debug("{} failed for {}", what, this.peer.describe(), cause);
			}
		}
	}

	private JsError toJsErrorSafely(Throwable failure, Packet packet, @Nullable NetronContext context) {
		try {
			return this.netron.toJsError(failure, context);
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot describe the failure of request {} from {}", packet.id(), this.peer.describe(), ex);
			Throwable cause = Failures.unwrap(failure);
			return JsError.of(JsErrorType.ERROR, cause.getClass().getName() + " (its message cannot be sent)");
		}
	}

	private static List<@Nullable Object> arguments(Packet packet) {
		if (!(packet.data() instanceof List<?> data) || data.isEmpty()) {
			throw Refusal.badRequest("Invalid " + packet.type() + " request: expected an array of arguments");
		}
		@SuppressWarnings("unchecked")
		List<@Nullable Object> arguments = (List<@Nullable Object>) data;
		return arguments;
	}

	/** The service a request addresses, {@code null} for a task. */
	private @Nullable ServiceStub target(PacketType type, List<@Nullable Object> data) {
		return switch (type) {
			case TASK -> null;
			case GET, SET, CALL -> this.netron.localPeer().stub(text(data, 0, type));
			default -> throw Refusal.error(Refusal.BAD_REQUEST, "Unknown packet type: " + type.wireValue());
		};
	}

	/**
	 * The name a request is observed under (a tag of every meter it makes): its member's or task's
	 * when the service or the node has it, else {@code unknown}, so that names a caller made up
	 * cannot grow the meter registry without bound.
	 */
	private String observedMember(@Nullable ServiceStub stub, String member) {
		boolean known = (stub != null)
				? stub.definition().meta().methods().containsKey(member)
						|| stub.definition().meta().properties().containsKey(member)
				: this.netron.taskManager().hasTask(member);
		return known ? member : NetronRequestObservationContext.UNKNOWN_MEMBER;
	}

	private CompletableFuture<@Nullable Object> dispatch(Dialect dialect, PacketType type, @Nullable ServiceStub stub,
			String member, List<@Nullable Object> data) {
		if (stub == null) {
			if (!dialect.servesTask(member)) {
				return CompletableFuture.failedFuture(TaskManager.taskNotFound(member));
			}
			return this.netron.taskManager().runTask(member, this.peer, data.subList(1, data.size()), this.netron.workers());
		}
		return switch (type) {
			case GET -> stub.get(this.peer, member);
			case SET -> stub.set(this.peer, member, (data.size() > 2) ? data.get(2) : Undefined.INSTANCE);
			default -> stub.call(this.peer, member, data.subList(2, data.size()));
		};
	}

	private static String text(List<@Nullable Object> data, int index, PacketType type) {
		if (index < data.size() && data.get(index) instanceof String text) {
			return text;
		}
		String what = (type == PacketType.TASK) ? "task name" : (index == 0) ? "definition id"
				: (type == PacketType.CALL) ? "method name" : "property name";
		throw Refusal.badRequest("Invalid " + type + " request: item " + index + " (" + what + ") must be a string");
	}

	private void respond(PeerLink source, Packet request, @Nullable Object value) {
		Packet response = Packet.response(request.id(), request.type(), source.dialect.forWire(value));
		byte[] frame;
		try {
			frame = this.netron.codec().encode(response);
		}
		catch (ProtocolException ex) {
			logUnsendable(request, ex);
			respondError(source, request.id(), request.flags(), JsError.of(JsErrorType.ERROR, ex.getMessage()));
			return;
		}
		send(source, frame);
		if (value instanceof StreamReference reference && reference.type() == StreamReference.StreamType.WRITABLE) {
			// the reference is queued: chunks may follow it now
			this.streams.start(reference.streamId());
		}
	}

	/**
	 * A result the codec cannot write (an {@code Object} result of a class it cannot carry, known
	 * only once the member ran): the caller gets the error, and this node says so once per member.
	 */
	private void logUnsendable(Packet request, ProtocolException ex) {
		String member = (request.data() instanceof List<?> data && data.size() > 1)
				? describeMember(String.valueOf(data.get(0)), String.valueOf(data.get(1)))
				: String.valueOf(request.type());
		if (this.netron.unsendableMembers().add(member)) {
			logger.warn("The result of {} cannot be sent to its caller: {} (logged once per member; the caller gets this "
					+ "error)", member, ex.getMessage());
		}
	}

	private String describeMember(String defIdOrName, String member) {
		ServiceStub stub = this.netron.localPeer().findStub(defIdOrName);
		return ((stub != null) ? stub.definition().meta().qualifiedName() : defIdOrName) + "." + member;
	}

	private void respondError(PeerLink source, long packetId, int requestFlags, JsError refusal) {
		JsError error = source.dialect.wireError(refusal);
		byte[] frame;
		try {
			frame = this.netron.codec().encode(Packet.errorResponse(packetId, requestFlags, error));
		}
		catch (ProtocolException ex) {
			// a custom field that cannot travel: send name and message only
			frame = this.netron.codec().encode(Packet.errorResponse(packetId, requestFlags,
					new JsError(error.type(), error.name(), error.getMessage(), error.stack(), Map.of())));
		}
		send(source, frame);
	}

	private void send(PeerLink source, byte[] frame) {
		Connection connection = source.connection;
		if (connection != null && connection.isOpen()) {
			connection.send(frame);
		}
		else {
			logger.debug("Response to {} dropped: the connection closed", this.peer.describe());
		}
	}

}
