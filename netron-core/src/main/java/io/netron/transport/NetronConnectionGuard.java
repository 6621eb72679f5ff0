package io.netron.transport;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netron.core.ConnectionLimits;
import io.netron.core.LogThrottle;
import io.netron.core.Netron;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Counts the node's accepted connections and refuses upgrades beyond
 * {@link ConnectionLimits#maxConnections()} (503) or
 * {@link ConnectionLimits#maxConnectionsPerAddress()} (503), and upgrades claiming a node id
 * another caller holds (409), before any WebSocket frame and with a plain-text reason. The same
 * checks run again when the connection opens, for upgrades that raced each other. Each refusal is
 * logged with the remote address, at most one line a second (with a count of those left out).
 */
public class NetronConnectionGuard implements HandshakeInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(NetronConnectionGuard.class);

	private final Netron netron;

	private final AtomicInteger open = new AtomicInteger();

	private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

	private final LogThrottle refusals = new LogThrottle(Duration.ofSeconds(1));


	/**
	 * A guard for a node's endpoint.
	 * @param netron the node, whose options hold the limits
	 */
	public NetronConnectionGuard(Netron netron) {
		this.netron = netron;
	}

	/** {@return the connections accepted and still open} */
	public int openConnections() {
		return this.open.get();
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws Exception {
		UpgradeRefusal refusal = refusal(request.getRemoteAddress(), request.getURI(), request.getPrincipal());
		if (refusal == null) {
			return true;
		}
		response.setStatusCode(refusal.status());
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		response.getHeaders().set(REFUSAL_HEADER, refusal.headerValue());
		response.getBody().write((refusal.reason() + "\n").getBytes(StandardCharsets.UTF_8));
		return false;
	}

	/**
	 * Why an upgrade may not proceed (the node's connection limits, or a node id another caller
	 * holds), logged; the same checks on every server stack.
	 * @param remoteAddress who asks
	 * @param uri the upgrade request's URI (with the {@code id} of a seed-era peer)
	 * @param principal who the request was authenticated as
	 * @return the answer to give instead of the upgrade, or {@code null} to let it proceed
	 */
	public @Nullable UpgradeRefusal refusal(@Nullable InetSocketAddress remoteAddress, URI uri,
			@Nullable Principal principal) {
		String host = host(remoteAddress);
		String refusal = limitRefusal(host);
		HttpStatus status = HttpStatus.SERVICE_UNAVAILABLE;
		if (refusal == null) {
			String peerId = NetronWebSocketHandler.peerId(uri);
			if (peerId != null && !peerId.isEmpty()) {
				refusal = this.netron.identityConflict(peerId, principal, host);
				status = HttpStatus.CONFLICT;
			}
		}
		if (refusal == null) {
			return null;
		}
		refused(address(remoteAddress), status.value() + " " + refusal);
		return new UpgradeRefusal(status, refusal);
	}

	/**
	 * The header a refused upgrade carries its reason in, beside the body, for clients that do not
	 * read the body of a failed upgrade (Reactor Netty's).
	 */
	public static final String REFUSAL_HEADER = "X-Netron-Refusal";

	/**
	 * An upgrade refused before any WebSocket frame.
	 * @param status the HTTP status to answer with
	 * @param reason the plain-text reason
	 */
	public record UpgradeRefusal(HttpStatus status, String reason) {

		/** {@return the reason as a header value: printable ASCII, 300 characters at most} */
		public String headerValue() {
			String printable = this.reason.replaceAll("[^\\x20-\\x7e]", "?");
			return (printable.length() > 300) ? printable.substring(0, 300) + "..." : printable;
		}

	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

	/**
	 * Whether a connection just upgraded may stay open: not while the node is starting or
	 * stopping, nor beyond the connection limits (checked again here for upgrades that raced each
	 * other). The same on every server stack.
	 * @param remoteAddress the connection's remote address
	 * @return the admission: its place taken under {@link Admission#host()} (then
	 * {@link #release} gives it back when it closes), or the close code and reason to close it with
	 */
	Admission admit(@Nullable InetSocketAddress remoteAddress) {
		if (!this.netron.isAcceptingConnections()) {
			boolean stopping = this.netron.isDraining() || this.netron.isClosed();
			logger.debug("Closing connection from {}: the node is {}", remoteAddress, stopping ? "stopping" : "not serving yet");
			return stopping ? Admission.closed(1001, "node shutting down")
					: Admission.closed(1013, "node starting, try again later");
		}
		String host = host(remoteAddress);
		String refusal = acquire(host);
		if (refusal != null) {
			refused(address(remoteAddress), refusal);
			return Admission.closed(1013, "too many connections, try again later");
		}
		return new Admission(host, 0, "");
	}

	/**
	 * What {@link #admit} decided.
	 * @param host the remote IP address the connection's place is counted under, {@code null}
	 * when it was refused
	 * @param closeCode the WebSocket close code to refuse it with
	 * @param closeReason the close reason to refuse it with
	 */
	record Admission(@Nullable String host, int closeCode, String closeReason) {

		static Admission closed(int code, String reason) {
			return new Admission(null, code, reason);
		}

	}

	/**
	 * Takes a place for an opened connection.
	 * @param host the connection's remote IP address
	 * @return why it may not stay open, or {@code null} when its place was taken (then
	 * {@link #release} gives it back)
	 */
	@Nullable String acquire(String host) {
		ConnectionLimits limits = this.netron.options().limits();
		if (this.open.incrementAndGet() > limits.maxConnections()) {
			this.open.decrementAndGet();
			return tooMany(limits);
		}
		if (limits.maxConnectionsPerAddress() > 0) {
			AtomicInteger count = this.perAddress.computeIfAbsent(host, (key) -> new AtomicInteger());
			if (count.incrementAndGet() > limits.maxConnectionsPerAddress()) {
				count.decrementAndGet();
				this.open.decrementAndGet();
				return tooManyFrom(host, limits);
			}
		}
		return null;
	}

	/**
	 * Gives back the place of a connection that closed.
	 * @param host the connection's remote IP address
	 */
	void release(String host) {
		this.open.decrementAndGet();
		if (this.netron.options().limits().maxConnectionsPerAddress() > 0) {
			AtomicInteger count = this.perAddress.get(host);
			if (count != null && count.decrementAndGet() <= 0) {
				this.perAddress.remove(host, count);
			}
		}
	}

	private @Nullable String limitRefusal(String host) {
		ConnectionLimits limits = this.netron.options().limits();
		if (this.open.get() >= limits.maxConnections()) {
			return tooMany(limits);
		}
		if (limits.maxConnectionsPerAddress() > 0) {
			AtomicInteger count = this.perAddress.get(host);
			if (count != null && count.get() >= limits.maxConnectionsPerAddress()) {
				return tooManyFrom(host, limits);
			}
		}
		return null;
	}

	private String tooMany(ConnectionLimits limits) {
		return "Netron node " + this.netron.id() + " has " + limits.maxConnections()
				+ " connections open, its limit (netron.server.max-connections)";
	}

	private static String tooManyFrom(String host, ConnectionLimits limits) {
		return "Too many Netron connections from " + host + ": " + limits.maxConnectionsPerAddress()
				+ " are open (netron.server.max-connections-per-address)";
	}

	/**
	 * Logs a refused connection, at most one line a second (with a count of those left out).
	 * @param remoteAddress who was refused
	 * @param reason why
	 */
	public void refused(String remoteAddress, String reason) {
		int heldBack = this.refusals.admit();
		if (heldBack >= 0) {
			logger.warn("Refused a Netron connection from {}: {}{}", remoteAddress, reason,
					LogThrottle.more(heldBack, "refusals"));
		}
	}

	/**
	 * A remote address as the logs show it on every stack: {@code 127.0.0.1:54321}.
	 * @param address the address, {@code null} when unknown
	 * @return its IP address and port
	 */
	public static String address(@Nullable InetSocketAddress address) {
		return (address != null) ? host(address) + ":" + address.getPort() : "unknown";
	}

	static String host(@Nullable InetSocketAddress address) {
		if (address == null) {
			return "unknown";
		}
		return (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
	}

}
