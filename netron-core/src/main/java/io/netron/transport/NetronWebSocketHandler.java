package io.netron.transport;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;

import io.netron.core.Connection;
import io.netron.core.ConnectionListener;
import io.netron.core.MemoryBudget;
import io.netron.core.Netron;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The Netron server endpoint: accepts peers of both generations (seed-era peers connect with
 * {@code ?id=<their node id>}, Titan peers send a {@code client-id} frame first), sends them
 * this node's id, and hands their frames to the node. Sends to one session
 * go through a bounded buffer; a peer that cannot keep up is disconnected.
 */
public class NetronWebSocketHandler extends AbstractWebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(NetronWebSocketHandler.class);

	private static final String LISTENER = NetronWebSocketHandler.class.getName() + ".listener";

	private static final String PARTIAL = NetronWebSocketHandler.class.getName() + ".partial";

	private static final String CONNECTION = NetronWebSocketHandler.class.getName() + ".connection";

	private final Netron netron;

	private static final String COUNTED = NetronWebSocketHandler.class.getName() + ".counted";

	/** The header a Titan client's upgrade carries its node id in. */
	static final String TITAN_ID_HEADER = "x-netron-id";

	private final int sendTimeLimitMillis;

	private final NetronConnectionGuard guard;

	/**
	 * An endpoint that disconnects a peer whose send takes longer than 10 s.
	 * @param netron the node
	 */
	public NetronWebSocketHandler(Netron netron) {
		this(netron, 10_000);
	}

	/**
	 * An endpoint with a limit on how long one send may take.
	 * @param netron the node
	 * @param sendTimeLimitMillis how long one send may block before the peer counts as too slow
	 */
	public NetronWebSocketHandler(Netron netron, int sendTimeLimitMillis) {
		this(netron, sendTimeLimitMillis, new NetronConnectionGuard(netron));
	}

	/**
	 * An endpoint whose connections are counted by a guard (which should also intercept the
	 * endpoint's handshakes, so that refusals come before the upgrade).
	 * @param netron the node
	 * @param sendTimeLimitMillis how long one send may block before the peer counts as too slow
	 * @param guard counts connections and enforces the node's connection limits
	 */
	public NetronWebSocketHandler(Netron netron, int sendTimeLimitMillis, NetronConnectionGuard guard) {
		this.netron = netron;
		this.sendTimeLimitMillis = sendTimeLimitMillis;
		this.guard = guard;
	}

	/** {@return the guard that counts this endpoint's connections} */
	public NetronConnectionGuard guard() {
		return this.guard;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		// without ?id a client must send a client-id frame first (Titan generation)
		String peerId = peerId(session.getUri());
		NetronConnectionGuard.Admission admission = this.guard.admit(session.getRemoteAddress());
		String host = admission.host();
		if (host == null) {
			session.close(new CloseStatus(admission.closeCode(), admission.closeReason()));
			return;
		}
		session.getAttributes().put(COUNTED, host);
		ConcurrentWebSocketSessionDecorator decorated = new ConcurrentWebSocketSessionDecorator(session,
				this.sendTimeLimitMillis, this.netron.options().sendBufferSize(),
				ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
		boolean titanClient = session.getHandshakeHeaders().containsHeader(TITAN_ID_HEADER);
		SessionConnection connection = new SessionConnection(session, decorated, (peerId != null) ? peerId : "?");
		ConnectionListener listener = this.netron.accept(connection, peerId, titanClient);
		session.getAttributes().put(LISTENER, listener);
		MemoryBudget.Account memory = listener.memory();
		if (memory != null) {
			// what waits to be sent to the peer is held by the node too
			memory.outboundSource(decorated::getBufferSize);
			connection.memory = memory;
		}
		session.getAttributes().put(CONNECTION, connection);
		// a write to a peer that does not read gives up after the send time limit, not the container's 20 s
		blockingSendTimeout(session, this.sendTimeLimitMillis);
	}

	/**
	 * Messages arrive in parts of the container's buffer size and are assembled by a
	 * {@link MessageAssembly}, so that no connection holds a buffer of the maximum size: a message
	 * past the maximum closes the connection with 1009, a part the node's memory budget has no room
	 * for with 1013.
	 */
	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
		ConnectionListener listener = listener(session);
		if (listener == null) {
			return;
		}
		MessageAssembly assembly = (MessageAssembly) session.getAttributes().get(PARTIAL);
		if (assembly == null) {
			assembly = new MessageAssembly(this.netron.options().maxMessageSize());
			session.getAttributes().put(PARTIAL, assembly);
		}
		ByteBuffer payload = message.getPayload();
		switch (assembly.part(listener, payload.remaining(), message.isLast(), (length) -> {
			byte[] part = new byte[length];
			payload.get(part);
			return part;
		})) {
			case TOO_BIG -> {
				// the close comes on another thread: the message's later parts are dropped meanwhile
				logger.warn("Closing connection from {}: a message exceeds the {}-byte limit (netron.server.max-message-size)",
						session.getRemoteAddress(), assembly.maxMessageSize());
				closeSoon(session, CloseStatus.TOO_BIG_TO_PROCESS
					.withReason("message larger than " + assembly.maxMessageSize() + " bytes"));
			}
			case OVER_BUDGET -> {
				logger.warn("Closing connection from {}: the node is over its memory budget of {} bytes "
						+ "(netron.server.max-buffered-bytes) with {} bytes of a message assembled", session.getRemoteAddress(),
						this.netron.memory().limit(), assembly.assembledWhenRefused());
				closeSoon(session, new CloseStatus(1013, "node over its memory budget, try again later"));
			}
			default -> {
			}
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		ConnectionListener listener = listener(session);
		if (listener == null) {
			return;
		}
		StringBuilder partial = (StringBuilder) session.getAttributes().get(PARTIAL + ".text");
		if (message.isLast() && partial == null) {
			listener.onText(message.getPayload());
			return;
		}
		if (partial == null) {
			partial = new StringBuilder();
			session.getAttributes().put(PARTIAL + ".text", partial);
		}
		if (partial.length() + message.getPayloadLength() > 64 * 1024) {
			closeSoon(session, CloseStatus.TOO_BIG_TO_PROCESS.withReason("text message larger than 64 KB"));
			return;
		}
		partial.append(message.getPayload());
		if (message.isLast()) {
			session.getAttributes().remove(PARTIAL + ".text");
			listener.onText(partial.toString());
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		logger.debug("Transport error on {}: {}", session.getRemoteAddress(), exception.toString());
	}

	@Override
	protected void handlePongMessage(WebSocketSession session, PongMessage message) {
		ConnectionListener listener = listener(session);
		if (listener != null) {
			listener.onPong();
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		session.getAttributes().remove(PARTIAL);
		Object open = session.getAttributes().remove(CONNECTION);
		if (open instanceof SessionConnection connection && connection.memory != null
				&& connection.session.getBufferSize() > 0) {
			// what was queued for the peer lives until the write blocked on it gives up: counted until then
			connection.memory.retireWith(connection.session, Duration.ofMillis(this.sendTimeLimitMillis + 5_000L));
		}
		Object host = session.getAttributes().remove(COUNTED);
		if (host != null) {
			this.guard.release((String) host);
		}
		ConnectionListener listener = listener(session);
		if (listener != null) {
			listener.onClose(status.getCode(), (status.getReason() != null) ? status.getReason() : "");
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	private static @Nullable ConnectionListener listener(WebSocketSession session) {
		return (ConnectionListener) session.getAttributes().get(LISTENER);
	}

	static @Nullable String peerId(@Nullable URI uri) {
		if (uri == null) {
			return null;
		}
		Map<String, java.util.List<String>> params = UriComponentsBuilder.fromUri(uri).build().getQueryParams();
		java.util.List<String> ids = params.get("id");
		if (ids == null || ids.isEmpty() || ids.get(0) == null) {
			return null;
		}
		return java.net.URLDecoder.decode(ids.get(0), StandardCharsets.UTF_8);
	}

	/**
	 * Drops a peer that cannot keep up: the node lets go of it at once (its pending requests fail,
	 * its subscriptions and exposed services go), and its socket is closed on another thread, the
	 * close frame given a second at most, for a peer that does not read will not read that either.
	 */
	private static void dropSlowPeer(WebSocketSession session, String peerId, String why) {
		logger.warn("Disconnecting peer {} ({}): it cannot keep up ({})", peerId, session.getRemoteAddress(), why);
		String reason = "cannot keep up: too much queued for it";
		ConnectionListener listener = listener(session);
		if (listener != null) {
			listener.lost(CloseStatus.POLICY_VIOLATION.getCode(), reason);
		}
		closeSoon(session, CloseStatus.POLICY_VIOLATION.withReason(reason));
	}

	/**
	 * Closes a connection refused for what it sent, off the container's I/O thread and with its close
	 * frame given a second: a peer that sends without reading would hold the thread until the
	 * blocking send timeout otherwise, and enough of them would leave the node deaf.
	 */
	private static void closeSoon(WebSocketSession session, CloseStatus status) {
		Thread closer = new Thread(() -> {
			shortenCloseTimeout(session);
			try {
				session.close(status);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Close of {} failed: {}", session.getRemoteAddress(), ex.toString());
			}
		}, "netron-close-" + session.getId());
		closer.setDaemon(true);
		closer.start();
	}

	/** Tomcat gives a close frame 20 s to be written by default: a second is plenty for one that will never be read. */
	private static void shortenCloseTimeout(WebSocketSession session) {
		blockingSendTimeout(session, 1000L);
	}

	/**
	 * How long Tomcat lets one blocking send wait for the peer to read (20 s unless told). Nothing
	 * on a session that has closed meanwhile (Tomcat refuses its properties then: an eviction and
	 * the connection's own refusal may close it from two threads at once).
	 */
	private static void blockingSendTimeout(WebSocketSession session, long millis) {
		if (JAKARTA_WEBSOCKET && session instanceof NativeWebSocketSession nativeSession) {
			jakarta.websocket.Session container = nativeSession.getNativeSession(jakarta.websocket.Session.class);
			if (container != null) {
				try {
					container.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", millis);
				}
				catch (IllegalStateException closed) {
					logger.trace("Session {} closed before its send timeout was set", session.getId());
				}
			}
		}
	}

	private static final boolean JAKARTA_WEBSOCKET = org.springframework.util.ClassUtils
		.isPresent("jakarta.websocket.Session", NetronWebSocketHandler.class.getClassLoader());

	/** A Spring session as a Netron connection. */
	private static final class SessionConnection implements Connection {

		private final WebSocketSession raw;

		private final ConcurrentWebSocketSessionDecorator session;

		private final String peerId;

		/** Asked for every request (the request's context): made once. */
		private final String remoteAddress;

		private final java.util.concurrent.atomic.AtomicBoolean dropped = new java.util.concurrent.atomic.AtomicBoolean();

		/** The connection's share of the node's memory budget, told what waits to be sent after each send. */
		volatile MemoryBudget.@Nullable Account memory;

		SessionConnection(WebSocketSession raw, ConcurrentWebSocketSessionDecorator session, String peerId) {
			this.raw = raw;
			this.session = session;
			this.peerId = peerId;
			this.remoteAddress = String.valueOf(session.getRemoteAddress());
		}

		@Override
		public void send(byte[] frame) {
			if (this.dropped.get()) {
				return;
			}
			MemoryBudget.Account account = this.memory;
			if (account != null) {
				// counted before it is queued: past the budget the heaviest goes, maybe this very peer
				account.outbound(this.session.getBufferSize() + frame.length);
				if (account.isClosed()) {
					return;
				}
			}
			try {
				this.session.sendMessage(new BinaryMessage(frame));
				if (account != null) {
					account.outbound(this.session.getBufferSize());
				}
			}
			catch (SessionLimitExceededException ex) {
				if (this.dropped.compareAndSet(false, true)) {
					dropSlowPeer(this.raw, this.peerId, ex.getMessage());
				}
			}
			catch (IOException | IllegalStateException ex) {
				logger.debug("Send to peer {} failed: {}", this.peerId, ex.toString());
			}
		}

		@Override
		public void sendText(String text) {
			try {
				this.session.sendMessage(new TextMessage(text));
			}
			catch (IOException | IllegalStateException ex) {
				logger.debug("Send to peer {} failed: {}", this.peerId, ex.toString());
			}
		}

		@Override
		public void sendPing() {
			try {
				this.session.sendMessage(new PingMessage());
			}
			catch (IOException | IllegalStateException ex) {
				logger.debug("Ping to peer {} failed: {}", this.peerId, ex.toString());
			}
		}

		@Override
		public void close(int code, String reason) {
			if (code != CloseStatus.NORMAL.getCode() && code != CloseStatus.GOING_AWAY.getCode()) {
				// a peer closed for what it did (too slow, over the budget, a policy) may not be reading:
				// its close frame gets a second, not the container's 20, while the session holds its queue
				shortenCloseTimeout(this.raw);
			}
			try {
				this.session.close(new CloseStatus(code, reason));
			}
			catch (IOException ex) {
				logger.debug("Close of peer {} failed: {}", this.peerId, ex.toString());
			}
		}

		@Override
		public boolean isOpen() {
			return this.session.isOpen();
		}

		@Override
		public long bufferedBytes() {
			return this.session.getBufferSize();
		}

		@Override
		public String remoteAddress() {
			return this.remoteAddress;
		}

		@Override
		public String remoteHost() {
			return NetronConnectionGuard.host(this.session.getRemoteAddress());
		}

		@Override
		public @Nullable Principal principal() {
			return this.session.getPrincipal();
		}

	}

}
