package io.netron.core;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netron.NetronException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of a {@link RemotePeer}: frames of an old connection are never mixed with a
 * new one's. A connecting link waits for the peer's {@code {"type":"id"}} handshake first. The
 * link also counts the requests it serves, so that their in-flight counts are given back when it
 * closes, whatever the services do.
 */
final class PeerLink implements ConnectionListener {

	private static final Logger logger = LoggerFactory.getLogger(PeerLink.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final RemotePeer peer;

	private final boolean connecting;

	final CompletableFuture<String> handshake = new CompletableFuture<>();

	volatile @Nullable Connection connection;

	volatile boolean abandoned;

	/** This connection's number among the peer's connections (set when it becomes the link). */
	volatile long serial;

	/** Requests of this connection being served: their in-flight counts go when it closes. */
	private final Set<ServedRequest> serving = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	/** Completes when the connection closed (both sides, or the transport gave up). */
	final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

	PeerLink(RemotePeer peer, boolean connecting) {
		this.peer = peer;
		this.connecting = connecting;
	}

	/** Whether the connection is open. */
	boolean isOpen() {
		Connection current = this.connection;
		return current != null && current.isOpen();
	}

	@Override
	public void onOpen(Connection opened) {
		this.connection = opened;
	}

	@Override
	public void onText(String text) {
		if (this.connecting && !this.handshake.isDone()) {
			try {
				JsonNode message = JSON.readTree(text);
				if (message != null && "id".equals(message.path("type").asText()) && message.path("id").isTextual()) {
					this.handshake.complete(message.get("id").asText());
					return;
				}
			}
			catch (Exception ex) {
				// not JSON: invalid handshake below
			}
			this.handshake.completeExceptionally(new NetronException("Invalid handshake: expected {\"type\":\"id\",...} from "
					+ this.peer.address() + " but got " + abbreviate(text)));
			return;
		}
		logger.debug("Dropped text frame from {}: {}", this.peer.describe(), abbreviate(text));
	}

	@Override
	public void onBinary(byte[] frame) {
		if (this.connecting && !this.handshake.isDone()) {
			this.handshake.completeExceptionally(new NetronException(
					"Invalid handshake: " + this.peer.address() + " sent a binary frame before its id"));
			return;
		}
		this.peer.incoming().onFrame(this, frame);
	}

	@Override
	public void onClose(int code, String reason) {
		this.handshake.completeExceptionally(new PeerDisconnectedException("Connection closed prematurely: "
				+ this.peer.address() + " closed with code " + code + (reason.isEmpty() ? "" : " (" + reason + ")")));
		this.peer.onClose(this, code, reason);
	}

	/** Starts counting a request served on this connection (the node's in-flight count is already taken). */
	ServedRequest track(Netron netron) {
		ServedRequest served = new ServedRequest(netron);
		this.serving.add(served);
		if (this.closed) {
			served.end();
		}
		return served;
	}

	/** Gives back the in-flight counts of the requests still being served (the connection closed). */
	void releaseServing() {
		this.closed = true;
		for (ServedRequest served : List.copyOf(this.serving)) {
			served.end();
		}
		this.closedFuture.complete(null);
	}

	private static String abbreviate(String text) {
		return (text.length() <= 80) ? text : text.substring(0, 80) + "...";
	}

	/** One request counted in the node's in-flight requests until answered or its connection closed. */
	final class ServedRequest {

		private final Netron netron;

		private final AtomicBoolean ended = new AtomicBoolean();

		ServedRequest(Netron netron) {
			this.netron = netron;
		}

		void end() {
			if (this.ended.compareAndSet(false, true)) {
				PeerLink.this.serving.remove(this);
				this.netron.endRequest();
			}
		}

	}

}
