package io.netron.core;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

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

	/** How long a closed connection is left for the peer to read its last frames when the node stops. */
	private static final long GO_AWAY_GRACE_MILLIS = 250;

	private final RemotePeer peer;

	private final boolean connecting;

	final CompletableFuture<String> handshake = new CompletableFuture<>();

	volatile @Nullable Connection connection;

	volatile boolean abandoned;

	/** This connection's number among the peer's connections (set when it becomes the link). */
	volatile long serial;

	/**
	 * Requests of this connection being served (their in-flight counts go when it closes), or a
	 * large negative number once it closed: then nothing is counted here any more.
	 */
	private final AtomicInteger serving = new AtomicInteger();

	private static final int CLOSED = Integer.MIN_VALUE / 2;

	/** Requests of this connection admitted and not yet answered (queued or being served). */
	private final AtomicInteger admitted = new AtomicInteger();

	/** When the connection was opened (or started opening). */
	final java.time.Instant created = java.time.Instant.now();

	/** {@return the requests of this connection admitted and not yet answered} */
	int admitted() {
		return Math.max(0, this.admitted.get());
	}

	/** Completes when the connection closed (both sides, or the transport gave up). */
	final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

	/** When the last frame (of any kind, pongs included) arrived, in {@link System#nanoTime()}. */
	private volatile long lastReceived = System.nanoTime();

	private volatile long lastPing;

	private volatile @Nullable ScheduledFuture<?> keepAlive;

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
		startKeepAlive(this.peer.netron());
	}

	@Override
	public void onPong() {
		this.lastReceived = System.nanoTime();
	}

	/**
	 * Pings the peer when it has been silent for the ping interval, and closes the connection when
	 * it has been silent for the idle timeout: a peer that froze or vanished without a close is
	 * found out then, and its callers fail instead of waiting for their timeouts.
	 */
	void startKeepAlive(Netron netron) {
		ConnectionLimits limits = netron.options().limits();
		long ping = limits.pingInterval().toNanos();
		long idle = limits.idleTimeout().toNanos();
		if (ping == 0 && idle == 0) {
			return;
		}
		long shortest = (ping == 0) ? idle : (idle == 0) ? ping : Math.min(ping, idle);
		long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), shortest / 4);
		this.keepAlive = netron.scheduler().scheduleWithFixedDelay(() -> keepAlive(ping, idle), period, period,
				TimeUnit.NANOSECONDS);
	}

	private void keepAlive(long ping, long idle) {
		Connection current = this.connection;
		if (current == null || !current.isOpen()) {
			return;
		}
		long now = System.nanoTime();
		long silent = now - this.lastReceived;
		if (idle > 0 && silent >= idle) {
			stopKeepAlive();
			long millis = TimeUnit.NANOSECONDS.toMillis(silent);
			logger.info("Closing the connection {} {}: nothing received for {} ms (netron.server.idle-timeout)",
					this.connecting ? "to" : "from", this.peer.describe(), millis);
			current.close(1000, "idle timeout: nothing received for " + millis + " ms");
			return;
		}
		if (ping > 0 && silent >= ping && now - this.lastPing >= ping) {
			this.lastPing = now;
			current.sendPing();
		}
	}

	private void stopKeepAlive() {
		ScheduledFuture<?> task = this.keepAlive;
		if (task != null) {
			task.cancel(false);
		}
	}

	@Override
	public void onText(String text) {
		this.lastReceived = System.nanoTime();
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
		this.lastReceived = System.nanoTime();
		if (this.connecting && !this.handshake.isDone()) {
			this.handshake.completeExceptionally(new NetronException(
					"Invalid handshake: " + this.peer.address() + " sent a binary frame before its id"));
			return;
		}
		this.peer.incoming().onFrame(this, frame);
	}

	@Override
	public void onClose(int code, String reason) {
		stopKeepAlive();
		this.handshake.completeExceptionally(new PeerDisconnectedException("Connection closed prematurely: "
				+ this.peer.address() + " closed with code " + code + (reason.isEmpty() ? "" : " (" + reason + ")")));
		this.peer.onClose(this, code, reason);
	}

	/**
	 * Counts a request served on this connection; the node's in-flight count is already taken.
	 * Without allocation: a counter, not a set of requests.
	 * @return whether {@link #end} must give the count back; {@code false} when the connection had
	 * already closed, in which case the count was given back here
	 */
	boolean track(Netron netron) {
		if (this.serving.getAndIncrement() < 0) {
			netron.endRequest();
			return false;
		}
		return true;
	}

	/**
	 * Admits a request unless the connection has {@code limit} requests in flight already.
	 * @return whether it was admitted: then {@link #release} follows once it is answered
	 */
	boolean admit(int limit) {
		if (this.admitted.incrementAndGet() > limit) {
			this.admitted.decrementAndGet();
			return false;
		}
		return true;
	}

	/** An admitted request was answered (or refused after all). */
	void release() {
		this.admitted.decrementAndGet();
	}

	/** A tracked request was answered: its count goes back, unless the close gave it back already. */
	void end(Netron netron) {
		if (this.serving.getAndDecrement() > 0) {
			netron.endRequest();
		}
	}

	/** Gives back the in-flight counts of the requests still being served (the connection closed). */
	void releaseServing(Netron netron) {
		int open = this.serving.getAndSet(CLOSED);
		for (int i = 0; i < open; i++) {
			netron.endRequest();
		}
		this.closedFuture.complete(null);
	}

	/**
	 * Opens a connection for a peer this node connects to: connects, waits for the handshake, then
	 * lets {@code established} finish (the {@code abilities} exchange), all within the connect
	 * timeout. A failed attempt closes what it opened.
	 */
	static CompletableFuture<RemotePeer> open(RemotePeer peer, Netron netron, URI address,
			BiFunction<PeerLink, String, CompletableFuture<RemotePeer>> established) {
		PeerLink opening = new PeerLink(peer, true);
		Duration timeout = netron.options().connectTimeout();
		CompletableFuture<RemotePeer> result = new CompletableFuture<>();
		ScheduledFuture<?> timer = netron.scheduler().schedule(() -> result.completeExceptionally(
				new NetronTimeoutException("Connection timeout: no handshake from " + address + " within "
						+ timeout.toMillis() + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
		ConnectOptions settings = peer.connectOptions();
		Connector connector = (settings.connector() != null) ? settings.connector() : netron.connector();
		CompletableFuture<Connection> connecting;
		try {
			connecting = connector.connect(withId(address, netron.id()), timeout, settings.headers().get(), opening);
		}
		catch (RuntimeException ex) {
			connecting = CompletableFuture.failedFuture(new NetronException(
					"Cannot connect to " + address + ": the handshake headers are not available (" + ex + ")", ex));
		}
		connecting.whenComplete((connection, failure) -> {
			if (failure != null) {
				result.completeExceptionally(connectFailure(failure, address, timeout));
			}
		});
		opening.handshake.thenCompose((remoteId) -> established.apply(opening, remoteId)).whenComplete((done, failure) -> {
			if (failure != null) {
				result.completeExceptionally(Failures.unwrap(failure));
			}
			else {
				result.complete(done);
			}
		});
		result.whenComplete((done, failure) -> {
			timer.cancel(false);
			if (failure != null) {
				Connection connection = opening.connection;
				opening.abandoned = true;
				if (connection != null && connection.isOpen()) {
					connection.close(1000, "connect failed");
				}
			}
		});
		return result;
	}

	private static NetronException connectFailure(Throwable failure, URI address, Duration timeout) {
		Throwable cause = Failures.unwrap(failure);
		if (cause instanceof NetronException netron) {
			return netron;
		}
		if (cause instanceof java.net.http.HttpTimeoutException) {
			return new NetronTimeoutException("Connection timeout: " + address + " did not accept within "
					+ timeout.toMillis() + " ms");
		}
		if (cause instanceof java.net.http.WebSocketHandshakeException refused) {
			java.net.http.HttpResponse<?> response = refused.getResponse();
			Object body = response.body();
			String text = (body instanceof String string && !string.isBlank())
					? ": " + ((string.strip().length() > 300) ? string.strip().substring(0, 300) + "..." : string.strip()) : "";
			return new HandshakeRefusedException("Cannot connect to " + address + ": the upgrade was refused with HTTP "
					+ response.statusCode() + text, response.statusCode());
		}
		String reason = (cause instanceof java.net.ConnectException) ? "connection refused"
				: (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		return new PeerDisconnectedException("Cannot connect to " + address + ": " + reason);
	}

	private static URI withId(URI address, String nodeId) {
		String separator = (address.getRawQuery() == null) ? "?" : "&";
		return URI.create(address + separator + "id=" + URLEncoder.encode(nodeId, StandardCharsets.UTF_8));
	}

	/**
	 * Closes the connection with 1001 ("going away") once the frames queued for it were sent (or
	 * after {@code flushTimeout}), and completes a quarter of a second after it closed: the node is
	 * shutting down, and the web server must not cut the connection before the peer has read
	 * everything, the close frame included.
	 */
	CompletableFuture<Void> goAway(Netron netron, Duration flushTimeout) {
		Connection open = this.connection;
		if (open == null || !open.isOpen()) {
			return CompletableFuture.completedFuture(null);
		}
		long deadline = System.nanoTime() + flushTimeout.toNanos();
		Runnable[] attempt = new Runnable[1];
		attempt[0] = () -> {
			if (open.bufferedBytes() > 0 && System.nanoTime() - deadline < 0 && open.isOpen()) {
				netron.scheduler().schedule(attempt[0], 5, TimeUnit.MILLISECONDS);
				return;
			}
			open.close(1001, "going away");
		};
		attempt[0].run();
		// the container reports the close as soon as its close frame is out; give the peer a moment
		// to read what precedes it and answer before the server may cut the connection
		return this.closedFuture.copy()
			.completeOnTimeout(null, flushTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
			.thenCompose((closed) -> new CompletableFuture<Void>().completeOnTimeout(null, GO_AWAY_GRACE_MILLIS,
					TimeUnit.MILLISECONDS));
	}

	private static String abbreviate(String text) {
		return (text.length() <= 80) ? text : text.substring(0, 80) + "...";
	}

}
