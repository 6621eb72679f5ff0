package io.netron.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.netron.core.TaskOverwriteStrategy;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Netron node, under {@code netron.*}.
 */
@ConfigurationProperties("netron")
public class NetronProperties {

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

	/** How long stopping waits for requests in flight (new ones are refused meanwhile). */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/** Peers by name, for @NetronClient(peer = "name"). */
	private final Map<String, Peer> peers = new LinkedHashMap<>();

	private final Server server = new Server();

	private final Reconnect reconnect = new Reconnect();

	private final Errors errors = new Errors();

	private final Discovery discovery = new Discovery();

	public @Nullable String getId() {
		return this.id;
	}

	public void setId(@Nullable String id) {
		this.id = id;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getTaskTimeout() {
		return this.taskTimeout;
	}

	public void setTaskTimeout(Duration taskTimeout) {
		this.taskTimeout = taskTimeout;
	}

	public Duration getStreamTimeout() {
		return this.streamTimeout;
	}

	public void setStreamTimeout(Duration streamTimeout) {
		this.streamTimeout = streamTimeout;
	}

	public int getStreamMaxBufferedChunks() {
		return this.streamMaxBufferedChunks;
	}

	public void setStreamMaxBufferedChunks(int streamMaxBufferedChunks) {
		this.streamMaxBufferedChunks = streamMaxBufferedChunks;
	}

	public DataSize getStreamMaxBufferedBytes() {
		return this.streamMaxBufferedBytes;
	}

	public void setStreamMaxBufferedBytes(DataSize streamMaxBufferedBytes) {
		this.streamMaxBufferedBytes = streamMaxBufferedBytes;
	}

	public TaskOverwriteStrategy getTaskOverwriteStrategy() {
		return this.taskOverwriteStrategy;
	}

	public void setTaskOverwriteStrategy(TaskOverwriteStrategy taskOverwriteStrategy) {
		this.taskOverwriteStrategy = taskOverwriteStrategy;
	}

	public boolean isAllowServiceEvents() {
		return this.allowServiceEvents;
	}

	public void setAllowServiceEvents(boolean allowServiceEvents) {
		this.allowServiceEvents = allowServiceEvents;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Map<String, Peer> getPeers() {
		return this.peers;
	}

	public Server getServer() {
		return this.server;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	public Errors getErrors() {
		return this.errors;
	}

	public Discovery getDiscovery() {
		return this.discovery;
	}

	/** The WebSocket endpoint peers connect to. */
	public static class Server {

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

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public DataSize getSendBufferSize() {
			return this.sendBufferSize;
		}

		public void setSendBufferSize(DataSize sendBufferSize) {
			this.sendBufferSize = sendBufferSize;
		}

		public Duration getSendTimeLimit() {
			return this.sendTimeLimit;
		}

		public void setSendTimeLimit(Duration sendTimeLimit) {
			this.sendTimeLimit = sendTimeLimit;
		}

		public boolean isPerMessageDeflate() {
			return this.perMessageDeflate;
		}

		public void setPerMessageDeflate(boolean perMessageDeflate) {
			this.perMessageDeflate = perMessageDeflate;
		}

	}

	/** Reconnection of connections this node opened. */
	public static class Reconnect {

		/** Whether lost connections to peers are re-established (never after a manual disconnect). */
		private boolean enabled = true;

		/** Delay before the first reconnect attempt; it doubles after each failure. */
		private Duration initialDelay = Duration.ofSeconds(1);

		/** Longest delay between reconnect attempts. */
		private Duration maxDelay = Duration.ofSeconds(30);

		/** Most reconnect attempts in a row, 0 for no limit. */
		private int maxAttempts = 0;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

	}

	/** What errors sent to peers carry. */
	public static class Errors {

		/** Whether errors sent to peers include Java stack frames (else only "Name: message"). */
		private boolean includeStackFrames = false;

		public boolean isIncludeStackFrames() {
			return this.includeStackFrames;
		}

		public void setIncludeStackFrames(boolean includeStackFrames) {
			this.includeStackFrames = includeStackFrames;
		}

	}

	/** A peer clients refer to by name. */
	public static class Peer {

		/** WebSocket URL of the peer's Netron endpoint, such as ws://host:8080/netron. */
		private @Nullable URI url;

		/** How long calls to this peer may take; netron.request-timeout when unset. */
		private @Nullable Duration requestTimeout;

		/** Whether to connect while the application starts rather than on first use. */
		private boolean eager = false;

		public @Nullable URI getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable URI url) {
			this.url = url;
		}

		public @Nullable Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(@Nullable Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public boolean isEager() {
			return this.eager;
		}

		public void setEager(boolean eager) {
			this.eager = eager;
		}

	}

	/** Redis service discovery, shared with TypeScript Netron nodes. */
	public static class Discovery {

		/** Whether this node registers in and reads the Redis registry (needs spring-data-redis). */
		private boolean enabled = false;

		/** How often the node re-registers. */
		private Duration heartbeatInterval = Duration.ofSeconds(5);

		/** How long a registry entry lives without a heartbeat. */
		private Duration heartbeatTtl = Duration.ofSeconds(15);

		/** Whether registry events are published and followed on the events channel. */
		private boolean pubSubEnabled = true;

		/** The events channel. */
		private String pubSubChannel = "netron:discovery:events";

		/** Address (host:port) registered for this node; host:port of the running server when unset. */
		private @Nullable String advertisedAddress;

		/** Path appended to registered addresses when connecting to discovered nodes. */
		private String connectPath = "/netron";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public Duration getHeartbeatTtl() {
			return this.heartbeatTtl;
		}

		public void setHeartbeatTtl(Duration heartbeatTtl) {
			this.heartbeatTtl = heartbeatTtl;
		}

		public boolean isPubSubEnabled() {
			return this.pubSubEnabled;
		}

		public void setPubSubEnabled(boolean pubSubEnabled) {
			this.pubSubEnabled = pubSubEnabled;
		}

		public String getPubSubChannel() {
			return this.pubSubChannel;
		}

		public void setPubSubChannel(String pubSubChannel) {
			this.pubSubChannel = pubSubChannel;
		}

		public @Nullable String getAdvertisedAddress() {
			return this.advertisedAddress;
		}

		public void setAdvertisedAddress(@Nullable String advertisedAddress) {
			this.advertisedAddress = advertisedAddress;
		}

		public String getConnectPath() {
			return this.connectPath;
		}

		public void setConnectPath(String connectPath) {
			this.connectPath = connectPath;
		}

	}

}
