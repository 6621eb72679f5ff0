package io.netron.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netron.core.ProtocolGeneration;
import io.netron.core.TaskOverwriteStrategy;
import io.netron.discovery.RoutingStrategy;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Netron node, under {@code netron.*}.
 */
@ConfigurationProperties("netron")
public class NetronProperties {

	/** The defaults, before binding. */
	public NetronProperties() {
	}

	/** Node id sent to peers in the handshake; a random UUID when unset. */
	private @Nullable String id;

	/** How long a caller waits for a response before "Request timeout exceeded". */
	private Duration requestTimeout = Duration.ofSeconds(5);

	/** How long connecting to a peer, handshake and abilities included, may take. */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/** How long a task a peer asked for may run before "Task timed out". */
	private Duration taskTimeout = Duration.ofSeconds(5);

	/** How long a non-live stream may go without packets before it fails. */
	private Duration streamTimeout = Duration.ofSeconds(60);

	/** Chunks a reading stream holds for a slow consumer; one more fails the stream. */
	private int streamMaxBufferedChunks = 100_000;

	/**
	 * Wire bytes of stream chunks one connection may hold for reading streams (unread and
	 * not yet announced ones included); the stream whose chunk goes past it fails.
	 */
	private DataSize streamMaxBufferedBytes = DataSize.ofMegabytes(64);

	/** What adding a task with an existing name does: replace, skip or throw. */
	private TaskOverwriteStrategy taskOverwriteStrategy = TaskOverwriteStrategy.REPLACE;

	/** Whether peers may subscribe to this node's service:expose and service:unexpose events. */
	private boolean allowServiceEvents = false;

	/**
	 * Whether the callbacks of remote call futures (thenApply, whenComplete, ...) and the subscribers
	 * of streams this node reads run on the thread that read the answer or chunk, a transport I/O
	 * thread, instead of on a Netron worker. Faster for pipelined asynchronous callers; only for
	 * callbacks that never block.
	 */
	private boolean directCallbacks = false;

	/** How long stopping waits for requests in flight (new ones are refused meanwhile). */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * WebSocket client of the node's outgoing connections: Reactor Netty's when it is on the class
	 * path (a WebFlux application), else the JDK's.
	 */
	private ClientTransport clientTransport = ClientTransport.AUTO;

	/** Peers by name, for @NetronClient(peer = "name"). */
	private final Map<String, Peer> peers = new LinkedHashMap<>();

	private final RemoteExposure remoteExposure = new RemoteExposure();

	/** Events peers may subscribe to, as patterns where * matches any text (peer:connect tells the ids of other peers). */
	private List<String> subscribableEvents = new ArrayList<>(List.of("*"));

	private final Server server = new Server();

	/** The HTTP transport beside the WebSocket endpoint. */
	private final Http http = new Http();

	private final Reconnect reconnect = new Reconnect();

	private final Errors errors = new Errors();

	private final Discovery discovery = new Discovery();

	/** {@return node id sent to peers in the handshake} */
	public @Nullable String getId() {
		return this.id;
	}

	/**
	 * Sets node id sent to peers in the handshake.
	 * @param id the new value
	 */
	public void setId(@Nullable String id) {
		this.id = id;
	}

	/** {@return how long calls to this peer may take} */
	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	/**
	 * Sets how long calls to this peer may take.
	 * @param requestTimeout the new value
	 */
	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	/** {@return how long connecting to a peer, handshake and abilities included, may take} */
	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	/**
	 * Sets how long connecting to a peer, handshake and abilities included, may take.
	 * @param connectTimeout the new value
	 */
	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	/** {@return how long a task a peer asked for may run before "Task timed out"} */
	public Duration getTaskTimeout() {
		return this.taskTimeout;
	}

	/**
	 * Sets how long a task a peer asked for may run before "Task timed out".
	 * @param taskTimeout the new value
	 */
	public void setTaskTimeout(Duration taskTimeout) {
		this.taskTimeout = taskTimeout;
	}

	/** {@return how long a non-live stream may go without packets before it fails} */
	public Duration getStreamTimeout() {
		return this.streamTimeout;
	}

	/**
	 * Sets how long a non-live stream may go without packets before it fails.
	 * @param streamTimeout the new value
	 */
	public void setStreamTimeout(Duration streamTimeout) {
		this.streamTimeout = streamTimeout;
	}

	/** {@return chunks a reading stream holds for a slow consumer} */
	public int getStreamMaxBufferedChunks() {
		return this.streamMaxBufferedChunks;
	}

	/**
	 * Sets chunks a reading stream holds for a slow consumer.
	 * @param streamMaxBufferedChunks the new value
	 */
	public void setStreamMaxBufferedChunks(int streamMaxBufferedChunks) {
		this.streamMaxBufferedChunks = streamMaxBufferedChunks;
	}

	/** {@return wire bytes of stream chunks one connection may hold for reading streams (unread and not yet announced ones included)} */
	public DataSize getStreamMaxBufferedBytes() {
		return this.streamMaxBufferedBytes;
	}

	/**
	 * Sets wire bytes of stream chunks one connection may hold for reading streams (unread and not yet announced ones included).
	 * @param streamMaxBufferedBytes the new value
	 */
	public void setStreamMaxBufferedBytes(DataSize streamMaxBufferedBytes) {
		this.streamMaxBufferedBytes = streamMaxBufferedBytes;
	}

	/** {@return what adding a task with an existing name does: replace, skip or throw} */
	public TaskOverwriteStrategy getTaskOverwriteStrategy() {
		return this.taskOverwriteStrategy;
	}

	/**
	 * Sets what adding a task with an existing name does: replace, skip or throw.
	 * @param taskOverwriteStrategy the new value
	 */
	public void setTaskOverwriteStrategy(TaskOverwriteStrategy taskOverwriteStrategy) {
		this.taskOverwriteStrategy = taskOverwriteStrategy;
	}

	/** {@return whether peers may subscribe to this node's service:expose and service:unexpose events} */
	public boolean isAllowServiceEvents() {
		return this.allowServiceEvents;
	}

	/**
	 * Sets whether peers may subscribe to this node's service:expose and service:unexpose events.
	 * @param allowServiceEvents the new value
	 */
	public void setAllowServiceEvents(boolean allowServiceEvents) {
		this.allowServiceEvents = allowServiceEvents;
	}

	/**
	 * Whether answer futures run their callbacks on the I/O thread that read the answer.
	 * @return whether callbacks are direct
	 */
	public boolean isDirectCallbacks() {
		return this.directCallbacks;
	}

	/**
	 * Sets whether answer futures run their callbacks on the I/O thread that read the answer.
	 * @param directCallbacks whether callbacks are direct
	 */
	public void setDirectCallbacks(boolean directCallbacks) {
		this.directCallbacks = directCallbacks;
	}

	/** {@return how long stopping waits for requests in flight (new ones are refused meanwhile)} */
	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * Sets how long stopping waits for requests in flight (new ones are refused meanwhile).
	 * @param shutdownTimeout the new value
	 */
	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	/** {@return the WebSocket client of the node's outgoing connections} */
	public ClientTransport getClientTransport() {
		return this.clientTransport;
	}

	/**
	 * Sets the WebSocket client of the node's outgoing connections.
	 * @param clientTransport the new value
	 */
	public void setClientTransport(ClientTransport clientTransport) {
		this.clientTransport = clientTransport;
	}

	/** The WebSocket clients a node can open its connections with. */
	public enum ClientTransport {

		/** Reactor Netty's when it is on the class path, else the JDK's. */
		AUTO,

		/** The JDK's {@code java.net.http} WebSocket client (no dependency). */
		JDK,

		/** Reactor Netty's WebSocket client (needs {@code reactor-netty-http}). */
		REACTOR_NETTY

	}

	/** {@return peers by name, for @NetronClient(peer = "name")} */
	public Map<String, Peer> getPeers() {
		return this.peers;
	}

	/** {@return what peers may expose through this node} */
	public RemoteExposure getRemoteExposure() {
		return this.remoteExposure;
	}

	/** {@return the events peers may subscribe to, as patterns} */
	public List<String> getSubscribableEvents() {
		return this.subscribableEvents;
	}

	/**
	 * Sets the events peers may subscribe to, as patterns.
	 * @param subscribableEvents the new value
	 */
	public void setSubscribableEvents(List<String> subscribableEvents) {
		this.subscribableEvents = subscribableEvents;
	}

	/** {@return the HTTP transport settings} */
	public Http getHttp() {
		return this.http;
	}

	/** {@return the WebSocket endpoint settings} */
	public Server getServer() {
		return this.server;
	}

	/** {@return how lost client connections come back} */
	public Reconnect getReconnect() {
		return this.reconnect;
	}

	/** {@return what errors sent to peers carry} */
	public Errors getErrors() {
		return this.errors;
	}

	/** {@return the Redis discovery settings} */
	public Discovery getDiscovery() {
		return this.discovery;
	}

	/** The WebSocket endpoint peers connect to. */
	public static class Server {

		/** The defaults, before binding. */
		public Server() {
		}

		/** Whether the node serves a WebSocket endpoint (servlet web applications only). */
		private boolean enabled = true;

		/** Path of the endpoint; TypeScript peers connect to ws://host:port/netron. */
		private String path = "/netron";

		/** Largest message accepted from a peer; larger ones close the connection with 1009. */
		private DataSize maxMessageSize = DataSize.ofMegabytes(64);

		/** Most bytes queued for one peer before it is disconnected as too slow. */
		private DataSize sendBufferSize = DataSize.ofMegabytes(16);

		/** Longest a single send to a peer may take before it is disconnected as too slow. */
		private Duration sendTimeLimit = Duration.ofSeconds(10);

		/** Whether permessage-deflate may be negotiated (slow for small frames; off like the TypeScript server). */
		private boolean perMessageDeflate = false;

		/**
		 * Origins (or patterns such as https://*.example.com) whose browser pages may open connections; upgrades
		 * without an Origin header (non-browser peers) and from the same origin are always accepted, others get 403.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/** {@return the origins whose browser pages may open connections} */
		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		/**
		 * Sets the origins whose browser pages may open connections.
		 * @param allowedOrigins the new value
		 */
		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		/** Most peer connections open at once; beyond it upgrades are refused with 503 (keep it below server.tomcat.max-connections). */
		private int maxConnections = 4096;

		/** Most connections from one remote IP address, 0 for no limit. */
		private int maxConnectionsPerAddress = 0;

		/** Most requests one connection may have queued or being served; beyond it requests are answered with an OverloadedError. */
		private int maxRequestsInFlight = 4096;

		/**
		 * Most bytes all connections together may make the node hold for what they sent (messages being assembled,
		 * requests decoded and waiting for their answer); past it the heaviest connection is closed with 1013 or the
		 * request refused. Default: an eighth of the maximum heap.
		 */
		private @Nullable DataSize maxBufferedBytes;

		/** {@return the most bytes all connections together may make the node hold, {@code null} for an eighth of the heap} */
		public @Nullable DataSize getMaxBufferedBytes() {
			return this.maxBufferedBytes;
		}

		/**
		 * Sets the most bytes all connections together may make the node hold.
		 * @param maxBufferedBytes the new value
		 */
		public void setMaxBufferedBytes(@Nullable DataSize maxBufferedBytes) {
			this.maxBufferedBytes = maxBufferedBytes;
		}

		/** How often a silent peer is pinged (WebSocket ping; peers answer by themselves), on every connection; 0 for never. */
		private Duration pingInterval = Duration.ofSeconds(20);

		/** How long a connection may stay silent (not even a pong) before it is closed and its callers fail; 0 for never. */
		private Duration idleTimeout = Duration.ofSeconds(60);

		/** {@return whether the node serves a WebSocket endpoint} */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether the node serves a WebSocket endpoint.
		 * @param enabled the new value
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/** {@return path of the endpoint} */
		public String getPath() {
			return this.path;
		}

		/**
		 * Sets path of the endpoint.
		 * @param path the new value
		 */
		public void setPath(String path) {
			this.path = path;
		}

		/** {@return largest message accepted from a peer} */
		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		/**
		 * Sets largest message accepted from a peer.
		 * @param maxMessageSize the new value
		 */
		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		/** {@return most bytes queued for one peer before it is disconnected as too slow} */
		public DataSize getSendBufferSize() {
			return this.sendBufferSize;
		}

		/**
		 * Sets most bytes queued for one peer before it is disconnected as too slow.
		 * @param sendBufferSize the new value
		 */
		public void setSendBufferSize(DataSize sendBufferSize) {
			this.sendBufferSize = sendBufferSize;
		}

		/** {@return longest a single send to a peer may take before it is disconnected as too slow} */
		public Duration getSendTimeLimit() {
			return this.sendTimeLimit;
		}

		/**
		 * Sets longest a single send to a peer may take before it is disconnected as too slow.
		 * @param sendTimeLimit the new value
		 */
		public void setSendTimeLimit(Duration sendTimeLimit) {
			this.sendTimeLimit = sendTimeLimit;
		}

		/** {@return whether permessage-deflate may be negotiated (slow for small frames} */
		public boolean isPerMessageDeflate() {
			return this.perMessageDeflate;
		}

		/**
		 * Sets whether permessage-deflate may be negotiated (slow for small frames.
		 * @param perMessageDeflate the new value
		 */
		public void setPerMessageDeflate(boolean perMessageDeflate) {
			this.perMessageDeflate = perMessageDeflate;
		}


		/** {@return most peer connections open at once} */
		public int getMaxConnections() {
			return this.maxConnections;
		}

		/**
		 * Sets most peer connections open at once.
		 * @param maxConnections the new value
		 */
		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		/** {@return most connections from one remote IP address, 0 for no limit} */
		public int getMaxConnectionsPerAddress() {
			return this.maxConnectionsPerAddress;
		}

		/**
		 * Sets most connections from one remote IP address, 0 for no limit.
		 * @param maxConnectionsPerAddress the new value
		 */
		public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
			this.maxConnectionsPerAddress = maxConnectionsPerAddress;
		}

		/** {@return most requests one connection may have queued or being served} */
		public int getMaxRequestsInFlight() {
			return this.maxRequestsInFlight;
		}

		/**
		 * Sets most requests one connection may have queued or being served.
		 * @param maxRequestsInFlight the new value
		 */
		public void setMaxRequestsInFlight(int maxRequestsInFlight) {
			this.maxRequestsInFlight = maxRequestsInFlight;
		}

		/** {@return how often a silent peer is pinged, 0 for never} */
		public Duration getPingInterval() {
			return this.pingInterval;
		}

		/**
		 * Sets how often a silent peer is pinged, 0 for never.
		 * @param pingInterval the new value
		 */
		public void setPingInterval(Duration pingInterval) {
			this.pingInterval = pingInterval;
		}

		/** {@return how long a connection may stay silent before it is closed, 0 for never} */
		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		/**
		 * Sets how long a connection may stay silent before it is closed, 0 for never.
		 * @param idleTimeout the new value
		 */
		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

	}

	/** Reconnection of connections this node opened. */
	public static class Reconnect {

		/** The defaults, before binding. */
		public Reconnect() {
		}

		/** Whether lost connections to peers are re-established (never after a manual disconnect). */
		private boolean enabled = true;

		/** Delay before the first reconnect attempt; it doubles after each failure. */
		private Duration initialDelay = Duration.ofSeconds(1);

		/** Longest delay between reconnect attempts. */
		private Duration maxDelay = Duration.ofSeconds(30);

		/** Most reconnect attempts in a row, 0 for no limit. */
		private int maxAttempts = 0;

		/** {@return whether this node registers in and reads the Redis registry (needs spring-data-redis)} */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether this node registers in and reads the Redis registry (needs spring-data-redis).
		 * @param enabled the new value
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/** {@return delay before the first reconnect attempt} */
		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		/**
		 * Sets delay before the first reconnect attempt.
		 * @param initialDelay the new value
		 */
		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		/** {@return longest delay between reconnect attempts} */
		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		/**
		 * Sets longest delay between reconnect attempts.
		 * @param maxDelay the new value
		 */
		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		/** {@return most reconnect attempts in a row, 0 for no limit} */
		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		/**
		 * Sets most reconnect attempts in a row, 0 for no limit.
		 * @param maxAttempts the new value
		 */
		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

	}

	/** What errors sent to peers carry. */
	public static class Errors {

		/** The defaults, before binding. */
		public Errors() {
		}

		/** Whether errors sent to peers include Java stack frames (else only "Name: message"). */
		private boolean includeStackFrames = false;

		/** {@return whether errors sent to peers include Java stack frames (else only "Name: message")} */
		public boolean isIncludeStackFrames() {
			return this.includeStackFrames;
		}

		/**
		 * Sets whether errors sent to peers include Java stack frames (else only "Name: message").
		 * @param includeStackFrames the new value
		 */
		public void setIncludeStackFrames(boolean includeStackFrames) {
			this.includeStackFrames = includeStackFrames;
		}

	}

	/** A peer clients refer to by name. */
	public static class Peer {

		/** The defaults, before binding. */
		public Peer() {
		}

		/** WebSocket URL of the peer's Netron endpoint, such as ws://host:8080/netron. */
		private @Nullable URI url;

		/** How long calls to this peer may take; netron.request-timeout when unset. */
		private @Nullable Duration requestTimeout;

		/** Whether to connect while the application starts rather than on first use. */
		private boolean eager = false;

		/** HTTP headers of the WebSocket upgrade, such as Authorization (NetronHandshakeHeaders beans add changing ones). */
		private final Map<String, String> headers = new LinkedHashMap<>();

		/** TLS of wss:// connections to this peer. */
		private final Ssl ssl = new Ssl();

		/** Protocol generation to speak with this peer (seed or titan); by default the one its id frame shows. */
		private @Nullable ProtocolGeneration generation;

		/** {@return the protocol generation to speak with this peer, {@code null} to follow its id frame} */
		public @Nullable ProtocolGeneration getGeneration() {
			return this.generation;
		}

		/**
		 * Sets the protocol generation to speak with this peer.
		 * @param generation the new value
		 */
		public void setGeneration(@Nullable ProtocolGeneration generation) {
			this.generation = generation;
		}

		/** {@return webSocket URL of the peer's Netron endpoint, such as ws://host:8080/netron} */
		public @Nullable URI getUrl() {
			return this.url;
		}

		/**
		 * Sets webSocket URL of the peer's Netron endpoint, such as ws://host:8080/netron.
		 * @param url the new value
		 */
		public void setUrl(@Nullable URI url) {
			this.url = url;
		}

		/** {@return how long calls to this peer may take} */
		public @Nullable Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		/**
		 * Sets how long calls to this peer may take.
		 * @param requestTimeout the new value
		 */
		public void setRequestTimeout(@Nullable Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		/** {@return whether to connect while the application starts rather than on first use} */
		public boolean isEager() {
			return this.eager;
		}

		/**
		 * Sets whether to connect while the application starts rather than on first use.
		 * @param eager the new value
		 */
		public void setEager(boolean eager) {
			this.eager = eager;
		}

		/** {@return the HTTP headers of the WebSocket upgrade} */
		public Map<String, String> getHeaders() {
			return this.headers;
		}

		/** {@return the TLS of wss:// connections to this peer} */
		public Ssl getSsl() {
			return this.ssl;
		}

	}

	/** TLS of a peer's wss:// connections and https:// requests. */
	public static class Ssl {

		/** The defaults, before binding. */
		public Ssl() {
		}

		/** SSL bundle (spring.ssl.bundle.*) whose trust store holds the peer's certificate, and whose key store, if any, is the client certificate. */
		private @Nullable String bundle;

		/** {@return the SSL bundle of the connections} */
		public @Nullable String getBundle() {
			return this.bundle;
		}

		/**
		 * Sets the SSL bundle of the connections.
		 * @param bundle the new value
		 */
		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/** What peers may expose through this node (the expose_service task). */
	public static class RemoteExposure {

		/** The defaults, before binding. */
		public RemoteExposure() {
		}

		/** Whether peers may expose services through this node, which then relays calls to them. */
		private boolean enabled = true;

		/** Principals (authenticated names) allowed to expose services; empty for any peer, authenticated or not. */
		private List<String> principals = new ArrayList<>();

		/** Service names peers may expose, as patterns where * matches any text. */
		private List<String> services = new ArrayList<>(List.of("*"));

		/** Whether a peer may expose a service under a name this node serves itself (any version). */
		private boolean shadowLocal = false;

		/** Most services one peer may expose through this node at once. */
		private int maxServicesPerPeer = 64;

		/** Largest definition a peer may expose (estimated from the names and types of its members). */
		private DataSize maxDefinitionSize = DataSize.ofKilobytes(64);

		/** {@return the most services one peer may expose through this node at once} */
		public int getMaxServicesPerPeer() {
			return this.maxServicesPerPeer;
		}

		/**
		 * Sets the most services one peer may expose through this node at once.
		 * @param maxServicesPerPeer the new value
		 */
		public void setMaxServicesPerPeer(int maxServicesPerPeer) {
			this.maxServicesPerPeer = maxServicesPerPeer;
		}

		/** {@return the largest definition a peer may expose} */
		public DataSize getMaxDefinitionSize() {
			return this.maxDefinitionSize;
		}

		/**
		 * Sets the largest definition a peer may expose.
		 * @param maxDefinitionSize the new value
		 */
		public void setMaxDefinitionSize(DataSize maxDefinitionSize) {
			this.maxDefinitionSize = maxDefinitionSize;
		}

		/** {@return whether peers may expose services through this node} */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether peers may expose services through this node.
		 * @param enabled the new value
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/** {@return the principals allowed to expose services} */
		public List<String> getPrincipals() {
			return this.principals;
		}

		/**
		 * Sets the principals allowed to expose services.
		 * @param principals the new value
		 */
		public void setPrincipals(List<String> principals) {
			this.principals = principals;
		}

		/** {@return the service names peers may expose} */
		public List<String> getServices() {
			return this.services;
		}

		/**
		 * Sets the service names peers may expose.
		 * @param services the new value
		 */
		public void setServices(List<String> services) {
			this.services = services;
		}

		/** {@return whether a peer may expose a name this node serves itself} */
		public boolean isShadowLocal() {
			return this.shadowLocal;
		}

		/**
		 * Sets whether a peer may expose a name this node serves itself.
		 * @param shadowLocal the new value
		 */
		public void setShadowLocal(boolean shadowLocal) {
			this.shadowLocal = shadowLocal;
		}

	}

	/** The HTTP transport of the Titan generation: POST {path}/invoke, /batch and /authenticate with JSON. */
	public static class Http {

		/** The defaults, before binding. */
		public Http() {
		}

		/** Whether to serve the HTTP transport where the WebSocket endpoint is served. */
		private boolean enabled = true;

		/** Largest request body. */
		private DataSize maxBodySize = DataSize.ofMegabytes(1);

		/** Most requests in one batch. */
		private int maxBatchSize = 100;

		/** Most invocations served at once over HTTP, batch items included; past it requests are answered 503. */
		private int maxRequestsInFlight = 256;

		/** {@return the most invocations served at once over HTTP} */
		public int getMaxRequestsInFlight() {
			return this.maxRequestsInFlight;
		}

		/**
		 * Sets the most invocations served at once over HTTP.
		 * @param maxRequestsInFlight the new value
		 */
		public void setMaxRequestsInFlight(int maxRequestsInFlight) {
			this.maxRequestsInFlight = maxRequestsInFlight;
		}

		/** Cross-origin requests from browser pages of other origins: none allowed unless origins are listed. */
		private final Cors cors = new Cors();

		/** {@return the cross-origin settings} */
		public Cors getCors() {
			return this.cors;
		}

		/** {@return whether to serve the HTTP transport} */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether to serve the HTTP transport.
		 * @param enabled the new value
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/** {@return the largest request body} */
		public DataSize getMaxBodySize() {
			return this.maxBodySize;
		}

		/**
		 * Sets the largest request body.
		 * @param maxBodySize the new value
		 */
		public void setMaxBodySize(DataSize maxBodySize) {
			this.maxBodySize = maxBodySize;
		}

		/** {@return the most requests in one batch} */
		public int getMaxBatchSize() {
			return this.maxBatchSize;
		}

		/**
		 * Sets the most requests in one batch.
		 * @param maxBatchSize the new value
		 */
		public void setMaxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

	}

	/** Cross-origin requests to the HTTP transport (Spring's CORS support). */
	public static class Cors {

		/** The defaults, before binding. */
		public Cors() {
		}

		/** Origins whose pages may call, such as https://app.example.com; none when empty (CORS off). */
		private List<String> allowedOrigins = new ArrayList<>();

		/** Request headers such pages may send. */
		private List<String> allowedHeaders = new ArrayList<>(List.of("Content-Type", "Authorization"));

		/** Whether such pages may send credentials (cookies, HTTP authentication). */
		private boolean allowCredentials = false;

		/** How long browsers may cache a preflight answer. */
		private Duration maxAge = Duration.ofMinutes(30);

		/** {@return origins whose pages may call} */
		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		/**
		 * Sets the origins whose pages may call.
		 * @param allowedOrigins the new value
		 */
		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		/** {@return request headers such pages may send} */
		public List<String> getAllowedHeaders() {
			return this.allowedHeaders;
		}

		/**
		 * Sets the request headers such pages may send.
		 * @param allowedHeaders the new value
		 */
		public void setAllowedHeaders(List<String> allowedHeaders) {
			this.allowedHeaders = allowedHeaders;
		}

		/** {@return whether such pages may send credentials} */
		public boolean isAllowCredentials() {
			return this.allowCredentials;
		}

		/**
		 * Sets whether such pages may send credentials.
		 * @param allowCredentials the new value
		 */
		public void setAllowCredentials(boolean allowCredentials) {
			this.allowCredentials = allowCredentials;
		}

		/** {@return how long browsers may cache a preflight answer} */
		public Duration getMaxAge() {
			return this.maxAge;
		}

		/**
		 * Sets how long browsers may cache a preflight answer.
		 * @param maxAge the new value
		 */
		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/** Redis service discovery, shared with TypeScript Netron nodes. */
	public static class Discovery {

		/** The defaults, before binding. */
		public Discovery() {
		}

		/** Whether this node registers in and reads the Redis registry (needs spring-data-redis). */
		private boolean enabled = false;

		/** How often the node re-registers. */
		private Duration heartbeatInterval = Duration.ofSeconds(5);

		/** How long a registry entry lives without a heartbeat. */
		private Duration heartbeatTtl = Duration.ofSeconds(15);

		/** Whether registry events are published and followed on the events channel. */
		private boolean pubSubEnabled = true;

		/** The events channel; "<key-prefix>:events" when unset. */
		private @Nullable String pubSubChannel;

		/** Prefix of the registry's Redis keys: netron:discovery (seed-era TypeScript nodes) or titan:discovery (Titan nodes). */
		private String keyPrefix = "netron:discovery";

		/** Address (host:port) registered for this node; host:port of the running server when unset. */
		private @Nullable String advertisedAddress;

		/** Path appended to registered addresses when connecting to discovered nodes. */
		private String connectPath = "/netron";

		/** How discovery-routed clients choose among the nodes offering their service: round-robin or least-in-flight. */
		private RoutingStrategy routing = RoutingStrategy.ROUND_ROBIN;

		/**
		 * Whether every heartbeat publishes a NODE_UPDATED event, as TypeScript nodes do. Off: only
		 * registrations, changes and deregistrations do (every node receives every event, so per-heartbeat
		 * events grow with the square of the registry's size).
		 */
		private boolean heartbeatEvents = false;

		/** How often discovery-routed clients read the whole registry again, in case events were lost. */
		private Duration registryReadInterval = Duration.ofMinutes(5);

		/** Routing strategies of the clients of particular services, by service name (overrides routing). */
		private final Map<String, RoutingStrategy> serviceRouting = new LinkedHashMap<>();

		/** {@return the routing strategies of the clients of particular services, by service name} */
		public Map<String, RoutingStrategy> getServiceRouting() {
			return this.serviceRouting;
		}

		/** {@return whether every heartbeat publishes a NODE_UPDATED event} */
		public boolean isHeartbeatEvents() {
			return this.heartbeatEvents;
		}

		/**
		 * Sets whether every heartbeat publishes a NODE_UPDATED event.
		 * @param heartbeatEvents the new value
		 */
		public void setHeartbeatEvents(boolean heartbeatEvents) {
			this.heartbeatEvents = heartbeatEvents;
		}

		/** {@return how often discovery-routed clients read the whole registry again} */
		public Duration getRegistryReadInterval() {
			return this.registryReadInterval;
		}

		/**
		 * Sets how often discovery-routed clients read the whole registry again.
		 * @param registryReadInterval the new value
		 */
		public void setRegistryReadInterval(Duration registryReadInterval) {
			this.registryReadInterval = registryReadInterval;
		}

		/** {@return how discovery-routed clients choose among the nodes offering their service} */
		public RoutingStrategy getRouting() {
			return this.routing;
		}

		/**
		 * Sets how discovery-routed clients choose among the nodes offering their service.
		 * @param routing the new value
		 */
		public void setRouting(RoutingStrategy routing) {
			this.routing = routing;
		}

		/** {@return whether this node registers in and reads the Redis registry (needs spring-data-redis)} */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether this node registers in and reads the Redis registry (needs spring-data-redis).
		 * @param enabled the new value
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/** {@return how often the node re-registers} */
		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		/**
		 * Sets how often the node re-registers.
		 * @param heartbeatInterval the new value
		 */
		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		/** {@return how long a registry entry lives without a heartbeat} */
		public Duration getHeartbeatTtl() {
			return this.heartbeatTtl;
		}

		/**
		 * Sets how long a registry entry lives without a heartbeat.
		 * @param heartbeatTtl the new value
		 */
		public void setHeartbeatTtl(Duration heartbeatTtl) {
			this.heartbeatTtl = heartbeatTtl;
		}

		/** {@return whether registry events are published and followed on the events channel} */
		public boolean isPubSubEnabled() {
			return this.pubSubEnabled;
		}

		/**
		 * Sets whether registry events are published and followed on the events channel.
		 * @param pubSubEnabled the new value
		 */
		public void setPubSubEnabled(boolean pubSubEnabled) {
			this.pubSubEnabled = pubSubEnabled;
		}

		/** {@return the events channel, {@code null} for {@code <key-prefix>:events}} */
		public @Nullable String getPubSubChannel() {
			return this.pubSubChannel;
		}

		/**
		 * Sets the events channel.
		 * @param pubSubChannel the new value
		 */
		public void setPubSubChannel(@Nullable String pubSubChannel) {
			this.pubSubChannel = pubSubChannel;
		}

		/** {@return the prefix of the registry's Redis keys} */
		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		/**
		 * Sets the prefix of the registry's Redis keys.
		 * @param keyPrefix the new value
		 */
		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		/** {@return address (host:port) registered for this node} */
		public @Nullable String getAdvertisedAddress() {
			return this.advertisedAddress;
		}

		/**
		 * Sets address (host:port) registered for this node.
		 * @param advertisedAddress the new value
		 */
		public void setAdvertisedAddress(@Nullable String advertisedAddress) {
			this.advertisedAddress = advertisedAddress;
		}

		/** {@return path appended to registered addresses when connecting to discovered nodes} */
		public String getConnectPath() {
			return this.connectPath;
		}

		/**
		 * Sets path appended to registered addresses when connecting to discovered nodes.
		 * @param connectPath the new value
		 */
		public void setConnectPath(String connectPath) {
			this.connectPath = connectPath;
		}

	}

}
