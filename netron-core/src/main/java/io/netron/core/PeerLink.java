package io.netron.core;

import java.net.URI;
import java.net.URLEncoder;
import java.security.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import io.netron.NetronException;
import io.netron.protocol.HandshakeFrame;
import io.netron.protocol.ProtocolException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of a {@link RemotePeer}: frames of an old connection are never mixed with a
 * new one's. A connecting link waits for the peer's {@code {"type":"id"}} handshake first. The
 * link also counts the requests it serves, so that their in-flight counts are given back when it
 * closes, whatever the services do.
 *
 * <p>The link knows which generation of the protocol its connection speaks ({@link #dialect}): an
 * accepted connection learns it from the peer's first frame (a {@code client-id} frame is a Titan
 * client, a packet a seed-era one), a connecting one from the server's id frame (binary JSON is a
 * Titan server, which is then answered with a {@code client-id} frame).
 */
final class PeerLink implements ConnectionListener {

	private static final Logger logger = LoggerFactory.getLogger(PeerLink.class);

	/** How long after the upgrade a Titan client is sent the id frame, as a Titan server does. */
	static final long TITAN_ID_FRAME_DELAY_MILLIS = 10;

	/** How often the id frame is sent again to a Titan client that has not answered it. */
	static final long TITAN_ID_FRAME_REPEAT_MILLIS = 250;

	/** How long a closed connection is left for the peer to read its last frames when the node stops. */
	private static final long GO_AWAY_GRACE_MILLIS = 250;

	private final RemotePeer peer;

	private final boolean connecting;

	final CompletableFuture<String> handshake = new CompletableFuture<>();

	/** The generation this connection speaks. */
	volatile Dialect dialect = Dialect.SEED;

	/** An accepted connection whose first frame has not arrived: it decides the generation. */
	volatile boolean undecided;

	/** Who the peer authenticated as with the {@code authenticate} task, over the upgrade's principal. */
	private volatile @Nullable Principal authenticated;

	/** Whether a misplaced handshake frame was logged at WARN already (later ones go to DEBUG). */
	private volatile boolean warnedHandshakeFrame;

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

	/**
	 * What this connection holds of the node's memory budget, opened with the first frame that
	 * needs it (a connection attempt that never carried one opens none); given back when it closes.
	 */
	private volatile MemoryBudget.@Nullable Account memory;

	private boolean memoryClosed;

	PeerLink(RemotePeer peer, boolean connecting) {
		this.peer = peer;
		this.connecting = connecting;
	}

	@Override
	public MemoryBudget.Account memory() {
		MemoryBudget.Account account = this.memory;
		return (account != null) ? account : openMemory();
	}

	private synchronized MemoryBudget.Account openMemory() {
		MemoryBudget.Account account = this.memory;
		if (account == null) {
			account = this.peer.netron().memory().open(this.peer.describe(), this::evicted);
			if (this.memoryClosed) {
				account.close();
			}
			else {
				// not attached yet counts as open: the account is opened with the connection's first frame
				account.connectionOpen(() -> {
					Connection current = this.connection;
					return current == null || current.isOpen();
				});
			}
			this.memory = account;
		}
		return account;
	}

	private synchronized void closeMemory() {
		this.memoryClosed = true;
		MemoryBudget.Account account = this.memory;
		if (account != null) {
			account.close();
		}
	}

	/** The node's memory budget was full and this connection held the most: it goes, at once. */
	private void evicted(String why) {
		drop(1013, "node over its memory budget", why);
	}

	/**
	 * Lets go of the connection at once (its requests, streams, subscriptions and exposed services
	 * go as if it had closed) and closes it on another thread, for a close may wait on a peer that
	 * does not read.
	 * @param code the close code
	 * @param reason the close frame's reason (at most 123 bytes)
	 * @param why what the log line says
	 */
	void drop(int code, String reason, String why) {
		Connection open = this.connection;
		logger.warn("Closing the connection of {}: {}", this.peer.describe(), why);
		lost(code, reason);
		if (open != null) {
			Thread closer = new Thread(() -> open.close(code, reason), "netron-close-" + this.peer.id());
			closer.setDaemon(true);
			closer.start();
		}
	}

	/** {@return who the peer is on this connection: as the authenticate task said, else as the upgrade was authenticated} */
	@Nullable Principal principal() {
		Principal task = this.authenticated;
		if (task != null) {
			return task;
		}
		Connection current = this.connection;
		return (current != null) ? current.principal() : null;
	}

	void authenticated(Principal principal) {
		this.authenticated = principal;
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
			HandshakeFrame frame;
			try {
				frame = HandshakeFrame.parse(text);
			}
			catch (ProtocolException ex) {
				frame = null;
			}
			if (frame == null || !frame.isServerId()) {
				this.handshake.completeExceptionally(new NetronException("Invalid handshake: expected {\"type\":\"id\",...} from "
						+ this.peer.address() + " but got " + LogText.of(text)));
				return;
			}
			// a text id frame: a seed-era or Java server, unless this peer is told to speak Titan
			established(frame, this.peer.connectOptions().generation() == ProtocolGeneration.TITAN);
			return;
		}
		if (this.undecided) {
			decide(text, null);
			return;
		}
		if (HandshakeFrame.looksLikeJson(text)) {
			ignoredHandshakeFrame(text);
			return;
		}
		logger.debug("Dropped text frame from {}: {}", this.peer.describe(), LogText.of(text));
	}

	@Override
	public void onBinary(byte[] frame) {
		this.lastReceived = System.nanoTime();
		if (this.connecting && !this.handshake.isDone()) {
			if (HandshakeFrame.looksLikeJson(frame)) {
				HandshakeFrame id;
				try {
					id = HandshakeFrame.parse(frame);
				}
				catch (ProtocolException ex) {
					this.handshake.completeExceptionally(new NetronException("Invalid handshake from " + this.peer.address()
							+ ": " + ex.getMessage()));
					return;
				}
				if (id.isServerId()) {
					// a binary id frame: a Titan server, unless this peer is told to speak the seed's protocol
					established(id, this.peer.connectOptions().generation() != ProtocolGeneration.SEED);
					return;
				}
			}
			this.handshake.completeExceptionally(new NetronException(
					"Invalid handshake: " + this.peer.address() + " sent a binary frame before its id"));
			return;
		}
		if (this.undecided) {
			if (HandshakeFrame.looksLikeJson(frame)) {
				decide(null, frame);
				return;
			}
			// a packet first: a seed-era client, served as before, under its ?id=
			this.undecided = false;
			if (this.peer.id().isEmpty()) {
				refuse(this.connection, "its first frame is a packet, but it gave no id (no ?id query parameter and no "
						+ "client-id frame)", "missing id: connect with ?id=<node id>, or send a client-id frame first");
				return;
			}
		}
		else if (HandshakeFrame.looksLikeJson(frame)) {
			ignoredHandshakeFrame(new String(frame, 0, Math.min(frame.length, 100), java.nio.charset.StandardCharsets.UTF_8));
			return;
		}
		this.peer.incoming().onFrame(this, frame);
	}

	/** The server's id frame arrived: answer a Titan server with this node's client-id first. */
	private void established(HandshakeFrame frame, boolean titan) {
		if (titan) {
			this.dialect = Dialect.TITAN;
			Connection open = this.connection;
			if (open != null) {
				open.send(HandshakeFrame.clientId(this.peer.netronId()).toBytes());
			}
		}
		this.handshake.complete(frame.id());
	}

	/**
	 * The first frame of an accepted connection is JSON: a {@code client-id} frame makes it a
	 * Titan-generation connection under the frame's id; anything else is refused.
	 */
	private void decide(@Nullable String text, byte @Nullable [] bytes) {
		this.undecided = false;
		Connection open = this.connection;
		HandshakeFrame frame;
		try {
			frame = (text != null) ? HandshakeFrame.parse(text) : HandshakeFrame.parse(bytes);
		}
		catch (ProtocolException ex) {
			refuseHandshake(open, ex.getMessage());
			return;
		}
		if (!frame.isClientId()) {
			refuseHandshake(open, "expected a client-id frame but got type '" + LogText.of(frame.type()) + "'");
			return;
		}
		this.dialect = Dialect.TITAN;
		String clientId = frame.id();
		if (!clientId.equals(this.peer.id()) && open != null) {
			// a new id for this connection: the same check as an id given with ?id= at the upgrade
			String conflict = this.peer.netron().identityConflict(clientId, open.principal(), open.remoteHost());
			if (conflict != null) {
				refuse(open, conflict, "node id already connected");
				return;
			}
		}
		this.peer.identifiedAs(clientId);
	}

	private void refuseHandshake(@Nullable Connection open, String why) {
		// a close frame's reason is at most 123 bytes: ASCII only, cut to 120 characters
		String reason = LogText.abbreviate(LogText.printable("invalid handshake: " + why), 117);
		refuse(open, "invalid handshake: " + why, reason);
	}

	/** Closes an accepted connection with 1008 (policy violation), saying why in the log and the close frame. */
	private static void refuse(@Nullable Connection open, String why, String reason) {
		logger.warn("Closing the connection from {}: {}", (open != null) ? open.remoteAddress() : "?", LogText.printable(why));
		if (open != null) {
			open.close(1008, reason);
		}
	}

	/**
	 * Sends an accepted connection this node's id frame. A Titan client listens for it only after
	 * the socket opened and a promise settled: an id frame read together with the upgrade response is
	 * lost and the client waits forever. So a client that announced itself as a Titan node (the
	 * {@code x-netron-id} header of its upgrade) gets it 10 ms after the upgrade, as a Titan server
	 * sends it, and again every 250 ms until its first frame arrives (a Titan client that already
	 * has it only logs the repeat); everyone else gets it at once.
	 */
	void sendIdFrame(Netron netron, String idFrame, boolean titanClient) {
		Connection open = this.connection;
		if (open == null) {
			return;
		}
		if (!titanClient) {
			open.sendText(idFrame);
			return;
		}
		long deadline = System.nanoTime() + netron.options().connectTimeout().toNanos();
		Runnable[] attempt = new Runnable[1];
		attempt[0] = () -> {
			if (!this.undecided || !open.isOpen() || System.nanoTime() - deadline > 0) {
				return;
			}
			open.sendText(idFrame);
			netron.scheduler().schedule(attempt[0], TITAN_ID_FRAME_REPEAT_MILLIS, TimeUnit.MILLISECONDS);
		};
		netron.scheduler().schedule(attempt[0], TITAN_ID_FRAME_DELAY_MILLIS, TimeUnit.MILLISECONDS);
	}

	/** Closes an accepted connection that gave no id (no {@code ?id}) unless its client-id arrives in time. */
	void expectClientId(Netron netron) {
		long millis = netron.options().connectTimeout().toMillis();
		netron.scheduler().schedule(() -> {
			Connection open = this.connection;
			if (this.undecided && open != null && open.isOpen()) {
				this.undecided = false;
				refuseHandshake(open, "no client-id frame within " + millis + " ms (and no ?id query parameter)");
			}
		}, millis, TimeUnit.MILLISECONDS);
	}

	/** A second client-id, or one after packets: nothing to answer; said once per connection at WARN. */
	private void ignoredHandshakeFrame(String text) {
		boolean first = !this.warnedHandshakeFrame;
		this.warnedHandshakeFrame = true;
		if (first ? logger.isWarnEnabled() : logger.isDebugEnabled()) {
			String message = "Ignored a handshake frame from {} after its handshake ({} connection): {}";
			if (first) {
				logger.warn(message, this.peer.describe(), this.dialect, LogText.of(text));
			}
			else {
				logger.debug(message, this.peer.describe(), this.dialect, LogText.of(text));
			}
		}
	}

	@Override
	public void onClose(int code, String reason) {
		closeMemory();
		lost(code, reason);
	}

	/**
	 * The engine lets go of the connection (requests, streams, subscriptions, exposed services); what
	 * it holds of the memory budget stays counted until the transport has closed it ({@link #onClose}),
	 * for its buffers live until then.
	 */
	@Override
	public void lost(int code, String reason) {
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
		ScheduledFuture<?> timer = netron.scheduler().schedule(() -> result.completeExceptionally(new NetronTimeoutException(
				"Connection timeout: " + (opening.handshake.isDone() ? address + " sent its id but did not answer the "
						+ "abilities exchange" : "no handshake from " + address) + " within " + timeout.toMillis()
						+ " ms (netron.connect-timeout)")), timeout.toMillis(), TimeUnit.MILLISECONDS);
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
		if (Failures.isUnresolvedHost(cause)) {
			return new PeerDisconnectedException("Cannot connect to " + address + ": " + Failures.unresolvedHost(address.getHost()));
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

}
