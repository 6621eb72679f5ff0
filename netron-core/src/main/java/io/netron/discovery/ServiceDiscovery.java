package io.netron.discovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netron.NetronException;

import org.jspecify.annotations.Nullable;
import org.semver4j.Semver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.TaskScheduler;

/**
 * A node's entry in the Redis registry, written exactly as the TypeScript Netron writes it:
 * {@code netron:discovery:nodes:<id>} (hash: address, services JSON, timestamp; EXPIRE the TTL
 * in seconds), {@code netron:discovery:heartbeat:<id>} ("1", PSETEX the TTL) and the
 * {@code netron:discovery:index:nodes} set, all by one EVAL of {@code register-heartbeat.lua}
 * (under {@code titan:discovery}, or any other {@linkplain DiscoveryOptions#keyPrefix() prefix},
 * the heartbeat key holds the timestamp, as Titan nodes write it),
 * every heartbeat interval and whenever the services change. Registry events go to the pub/sub
 * channel as JSON. Failed writes are retried (3 attempts, 500 ms x attempt) and never escape to
 * the application: the health contributor reports them.
 */
public class ServiceDiscovery {

	private static final Logger logger = LoggerFactory.getLogger(ServiceDiscovery.class);

	/** {@code <prefix>:nodes:} */
	private final String nodePrefix;

	/** {@code <prefix>:heartbeat:} */
	private final String heartbeatPrefix;

	/** {@code <prefix>:index:nodes} */
	private final String index;

	private static final int ATTEMPTS = 3;

	private static final RedisScript<Long> REGISTER = RedisScript
		.of(new ClassPathResource("META-INF/netron/lua/register-heartbeat.lua"), Long.class);

	/** The same entry with the timestamp as the heartbeat's value, as Titan nodes write it. */
	private static final RedisScript<Long> REGISTER_TIMESTAMP = RedisScript
		.of(new ClassPathResource("META-INF/netron/lua/register-heartbeat-timestamp.lua"), Long.class);

	private static final ObjectMapper JSON = new ObjectMapper()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

	private final StringRedisTemplate redis;

	private final String nodeId;

	private final DiscoveryOptions options;

	private final TaskScheduler scheduler;

	private final @Nullable RedisMessageListenerContainer listenerContainer;

	private final List<Consumer<DiscoveryEvent>> listeners = new CopyOnWriteArrayList<>();

	private final MessageListener messageListener = this::onMessage;

	private volatile String address;

	private volatile List<ServiceInfo> services;

	private volatile boolean registered;

	private volatile boolean started;

	/** Whether Redis is a cluster: known once a connection said so, {@code null} before. */
	private volatile @Nullable Boolean cluster;

	/** The address and services the last published event announced. */
	private volatile @Nullable List<Object> announced;

	/** A heartbeat failed since the last event: the next success announces the node again. */
	private volatile boolean failedSinceAnnounced;

	/** Whether this node subscribed to the events channel. */
	private volatile boolean following;

	private volatile boolean stopped;

	private volatile @Nullable Instant lastHeartbeat;

	private volatile @Nullable String lastError;

	private @Nullable ScheduledFuture<?> heartbeat;

	private volatile int nodesSeen = -1;

	private final java.util.concurrent.atomic.AtomicLong heartbeats = new java.util.concurrent.atomic.AtomicLong();

	private final java.util.concurrent.atomic.AtomicLong failedHeartbeats = new java.util.concurrent.atomic.AtomicLong();

	/**
	 * Discovery for one node.
	 * @param redis the registry
	 * @param nodeId this node's id
	 * @param address this node's {@code host:port}, {@code ""} when it does not register
	 * @param services the services to register
	 * @param options heartbeat, TTL and events settings
	 * @param scheduler where heartbeats run
	 * @param listenerContainer follows the events channel; {@code null} without pub/sub
	 */
	public ServiceDiscovery(StringRedisTemplate redis, String nodeId, String address, List<ServiceInfo> services,
			DiscoveryOptions options, TaskScheduler scheduler, @Nullable RedisMessageListenerContainer listenerContainer) {
		this.redis = redis;
		this.nodeId = nodeId;
		this.address = address;
		this.services = List.copyOf(services);
		this.options = options;
		this.scheduler = scheduler;
		this.listenerContainer = listenerContainer;
		this.nodePrefix = options.keyPrefix() + ":nodes:";
		this.heartbeatPrefix = options.keyPrefix() + ":heartbeat:";
		this.index = options.keyPrefix() + ":index:nodes";
	}

	/** {@return this node's id} */
	public String nodeId() {
		return this.nodeId;
	}

	/** {@return the address this node registers} */
	public String address() {
		return this.address;
	}

	/** {@return the services this node registers} */
	public List<ServiceInfo> services() {
		return this.services;
	}

	/** {@return the options} */
	public DiscoveryOptions options() {
		return this.options;
	}

	/**
	 * When the last heartbeat was written, or {@code null} before the first.
	 * @return when, or {@code null} before the first
	 */
	public @Nullable Instant lastHeartbeat() {
		return this.lastHeartbeat;
	}

	/** {@return the last heartbeat failure, or {@code null} when the last write succeeded} */
	public @Nullable String lastError() {
		return this.lastError;
	}

	/** {@return whether heartbeats are running} */
	public boolean isStarted() {
		return this.started && !this.stopped;
	}

	/**
	 * Calls {@code listener} with every registry event of the channel (pub/sub only).
	 * @param listener called with each event
	 */
	public void addListener(Consumer<DiscoveryEvent> listener) {
		this.listeners.add(listener);
	}

	// ------------------------------------------------------------------ life cycle

	/**
	 * Registers the node with its current services (the first registration already lists
	 * them), then heartbeats every interval, and follows the events channel.
	 */
	public synchronized void start() {
		if (this.started) {
			return;
		}
		this.started = true;
		follow();
		publishHeartbeat();
		this.heartbeat = this.scheduler.scheduleAtFixedRate(this::publishHeartbeat,
				Instant.now().plus(this.options.heartbeatInterval()), this.options.heartbeatInterval());
		logger.info("Netron node {} registered for discovery at {} (heartbeat every {}, TTL {})", this.nodeId,
				this.address, this.options.heartbeatInterval(), this.options.heartbeatTtl());
	}

	/**
	 * Follows the events channel without registering: what a node without a server does, so that
	 * its router learns of other nodes as they come, heartbeat and go. {@link #start} does it too.
	 */
	public synchronized void follow() {
		if (this.following || this.stopped || !this.options.pubSubEnabled() || this.listenerContainer == null) {
			return;
		}
		this.following = true;
		this.listenerContainer.addMessageListener(this.messageListener, new ChannelTopic(this.options.pubSubChannel()));
		startListening();
	}

	/** {@return whether this node follows the registry's events (pub/sub on, and subscribed)} */
	public boolean isFollowingEvents() {
		return this.following;
	}

	/**
	 * Starts the events subscription; while Redis cannot be reached, tries again every heartbeat
	 * interval instead of failing the application (the container itself recovers from later losses).
	 */
	private void startListening() {
		RedisMessageListenerContainer container = this.listenerContainer;
		if (container == null || container.isRunning() || this.stopped) {
			return;
		}
		try {
			container.start();
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot follow discovery events on {} yet ({}); trying again in {}", this.options.pubSubChannel(),
					ex.getMessage(), this.options.heartbeatInterval());
			try {
				container.stop();
			}
			catch (RuntimeException stopFailure) {
				logger.debug("Stopping the listener container failed: {}", stopFailure.toString());
			}
			this.scheduler.schedule(this::startListening, Instant.now().plus(this.options.heartbeatInterval()));
		}
	}

	/** Stops heartbeats, deregisters the node (with retries) and stops following events. */
	public synchronized void shutdown() {
		if (this.stopped) {
			return;
		}
		this.stopped = true;
		ScheduledFuture<?> current = this.heartbeat;
		if (current != null) {
			current.cancel(false);
		}
		if (!this.started) {
			if (this.listenerContainer != null && this.following) {
				this.listenerContainer.removeMessageListener(this.messageListener);
			}
			return;
		}
		try {
			withRetries("deregistration of node '" + this.nodeId + "'", () -> {
				deregister(this.nodeId);
				publishEvent(DiscoveryEvent.Type.NODE_DEREGISTERED);
			});
			this.registered = false;
			logger.info("Netron node {} deregistered from discovery", this.nodeId);
		}
		catch (RuntimeException ex) {
			logger.warn("Netron node {} could not deregister (its entry expires after {}): {}", this.nodeId,
					this.options.heartbeatTtl(), ex.getMessage());
		}
		if (this.listenerContainer != null) {
			this.listenerContainer.removeMessageListener(this.messageListener);
		}
	}

	/**
	 * Rewrites the services (and registers at once when started).
	 * @param services the services this node offers now
	 */
	public void updateServices(List<ServiceInfo> services) {
		this.services = List.copyOf(services);
		if (isStarted()) {
			this.scheduler.schedule(this::publishHeartbeat, Instant.now());
		}
	}

	/**
	 * Changes the registered address (and registers at once when started).
	 * @param address the new {@code host:port}
	 */
	public void updateAddress(String address) {
		this.address = address;
		if (isStarted()) {
			this.scheduler.schedule(this::publishHeartbeat, Instant.now());
		}
	}

	/**
	 * Whether the registry lists this node now: a heartbeat registered it, and the last successful
	 * one is younger than the TTL. Heartbeats may run ({@link #isStarted()}) without this being
	 * true, while Redis is away or refuses the registration.
	 * @return whether this node is registered
	 */
	public boolean isRegistered() {
		Instant last = this.lastHeartbeat;
		return this.registered && last != null
				&& Duration.between(last, Instant.now()).compareTo(this.options.heartbeatTtl()) <= 0;
	}

	/** {@return the alive nodes the registry listed when it was last read, -1 before the first read} */
	public int nodesSeen() {
		return this.nodesSeen;
	}

	/** {@return the heartbeats that registered this node, since it started} */
	public long heartbeats() {
		return this.heartbeats.get();
	}

	/** {@return the heartbeats that failed after all their attempts, since the node started} */
	public long failedHeartbeats() {
		return this.failedHeartbeats.get();
	}

	/**
	 * Writes the registration (retried) and publishes NODE_REGISTERED the first time, NODE_UPDATED
	 * after. Failures are logged and kept for the health contributor.
	 */
	public synchronized void publishHeartbeat() {
		if (this.stopped) {
			return;
		}
		try {
			withRetries("heartbeat", () -> {
				register();
				DiscoveryEvent.Type type = this.registered ? DiscoveryEvent.Type.NODE_UPDATED
						: DiscoveryEvent.Type.NODE_REGISTERED;
				List<Object> registration = List.of(this.address, this.services);
				// an event when something changed (first registration, services, address, a registration
				// back after failed heartbeats); on every heartbeat only when asked, as TypeScript nodes do
				boolean announce = !this.registered || this.failedSinceAnnounced || !registration.equals(this.announced)
						|| this.options.heartbeatEvents();
				this.registered = true;
				this.lastHeartbeat = Instant.now();
				this.lastError = null;
				if (announce) {
					publishEvent(type);
					this.announced = registration;
					this.failedSinceAnnounced = false;
				}
			});
			this.heartbeats.incrementAndGet();
		}
		catch (RuntimeException ex) {
			this.failedHeartbeats.incrementAndGet();
			this.failedSinceAnnounced = true;
			this.lastError = ex.getMessage();
			logger.warn("All {} heartbeat attempts of node {} failed: {}", ATTEMPTS, this.nodeId, ex.getMessage());
		}
	}

	private void register() {
		String servicesJson = json(this.services);
		long ttlMillis = this.options.heartbeatTtl().toMillis();
		String timestamp = Long.toString(System.currentTimeMillis());
		if (isCluster()) {
			// the script's three keys live in different slots (CROSSSLOT): the same writes one key at
			// a time, in the script's order, so that a reader that finds the node in the index finds
			// its heartbeat and hash too (a reader takes a node without a heartbeat for dead)
			String nodeKey = this.nodePrefix + this.nodeId;
			this.redis.opsForHash().putAll(nodeKey, Map.of("address", this.address, "services", servicesJson,
					"timestamp", timestamp));
			this.redis.expire(nodeKey, Duration.ofSeconds((ttlMillis + 999) / 1000));
			this.redis.opsForValue().set(this.heartbeatPrefix + this.nodeId,
					this.options.seedHeartbeatValue() ? "1" : timestamp, Duration.ofMillis(ttlMillis));
			this.redis.opsForSet().add(this.index, this.nodeId);
			return;
		}
		this.redis.execute(this.options.seedHeartbeatValue() ? REGISTER : REGISTER_TIMESTAMP,
				List.of(this.nodePrefix + this.nodeId, this.heartbeatPrefix + this.nodeId, this.index),
				this.nodeId, this.address, servicesJson, timestamp,
				Long.toString((ttlMillis + 999) / 1000), Long.toString(ttlMillis));
	}

	private void withRetries(String what, Runnable action) {
		for (int attempt = 1;; attempt++) {
			try {
				action.run();
				if (attempt > 1) {
					logger.info("{} succeeded after {} attempts", what, attempt);
				}
				return;
			}
			catch (DataAccessException | IllegalStateException ex) {
				logger.debug("{} attempt {} failed: {}", what, attempt, ex.getMessage());
				if (attempt == ATTEMPTS) {
					throw new NetronException(what + " failed " + ATTEMPTS + " times: " + rootMessage(ex), ex);
				}
				pause(Duration.ofMillis(500L * attempt));
			}
		}
	}

	/** Waits between retries; the caller is a scheduler thread or the shutdown thread. */
	private static void pause(Duration delay) {
		try {
			CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delay.toMillis(),
					java.util.concurrent.TimeUnit.MILLISECONDS)).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (java.util.concurrent.ExecutionException ex) {
			// nothing to report
		}
	}

	// ------------------------------------------------------------------ reading the registry

	/**
	 * The nodes that are alive: heartbeat key present and hash complete. Entries that are not
	 * are removed from all three keys, as the TypeScript Netron does.
	 * @return the nodes whose heartbeat is alive
	 */
	public List<NodeInfo> getActiveNodes() {
		Set<String> ids = this.redis.opsForSet().members(this.index);
		if (ids == null || ids.isEmpty()) {
			this.nodesSeen = 0;
			return List.of();
		}
		List<String> order = new ArrayList<>(ids);
		List<Object> results = isCluster() ? readOneByOne(order) : this.redis.executePipelined(new SessionCallback<Object>() {

			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public @Nullable Object execute(RedisOperations operations) {
				for (String id : order) {
					operations.opsForHash().entries(ServiceDiscovery.this.nodePrefix + id);
					operations.hasKey(ServiceDiscovery.this.heartbeatPrefix + id);
				}
				return null;
			}

		});
		List<NodeInfo> active = new ArrayList<>();
		List<String> dead = new ArrayList<>();
		for (int i = 0; i < order.size(); i++) {
			String id = order.get(i);
			Object hash = results.get(i * 2);
			Object alive = results.get(i * 2 + 1);
			NodeInfo node = exists(alive) ? parse(id, hash) : null;
			if (node != null) {
				active.add(node);
			}
			else {
				dead.add(id);
			}
		}
		if (!dead.isEmpty() && isCluster()) {
			for (String id : dead) {
				deregister(id);
			}
			logger.debug("Removed dead or invalid registry entries: {}", dead);
		}
		else if (!dead.isEmpty()) {
			this.redis.executePipelined(new SessionCallback<Object>() {

				@Override
				@SuppressWarnings({ "unchecked", "rawtypes" })
				public @Nullable Object execute(RedisOperations operations) {
					for (String id : dead) {
						operations.delete(ServiceDiscovery.this.nodePrefix + id);
						operations.delete(ServiceDiscovery.this.heartbeatPrefix + id);
						operations.opsForSet().remove(ServiceDiscovery.this.index, id);
					}
					return null;
				}

			});
			logger.debug("Removed dead or invalid registry entries: {}", dead);
		}
		this.nodesSeen = active.size();
		return active;
	}

	/**
	 * Which of the given nodes have a live heartbeat key: one pipelined {@code EXISTS} each (one by
	 * one on a cluster), whatever the registry's size.
	 * @param nodeIds node ids
	 * @return the ids whose heartbeat key exists
	 */
	public Set<String> aliveAmong(java.util.Collection<String> nodeIds) {
		List<String> ids = List.copyOf(nodeIds);
		List<Object> results;
		if (isCluster()) {
			results = new ArrayList<>(ids.size());
			for (String id : ids) {
				results.add(this.redis.hasKey(this.heartbeatPrefix + id));
			}
		}
		else {
			results = this.redis.executePipelined(new SessionCallback<Object>() {

				@Override
				@SuppressWarnings({ "unchecked", "rawtypes" })
				public @Nullable Object execute(RedisOperations operations) {
					for (String id : ids) {
						operations.hasKey(ServiceDiscovery.this.heartbeatPrefix + id);
					}
					return null;
				}

			});
		}
		Set<String> alive = new java.util.HashSet<>();
		for (int i = 0; i < ids.size(); i++) {
			if (exists(results.get(i))) {
				alive.add(ids.get(i));
			}
		}
		return alive;
	}

	/** {@return whether an EXISTS answer, as a pipeline or a single command gives it, says the key exists} */
	private static boolean exists(@Nullable Object answer) {
		return Boolean.TRUE.equals(answer) || (answer instanceof Long count && count > 0);
	}

	TaskScheduler scheduler() {
		return this.scheduler;
	}

	/**
	 * {@return the nodes the registry's index lists} One command, whatever the registry's size; it
	 * counts nodes whose heartbeat expired until a read of the registry cleans them up.
	 */
	public long countRegisteredNodes() {
		Long count = this.redis.opsForSet().size(this.index);
		return (count != null) ? count : 0;
	}

	/** The hash and heartbeat of each node, as the pipeline reads them, one command at a time (a cluster has no pipelines). */
	private List<Object> readOneByOne(List<String> ids) {
		List<Object> results = new ArrayList<>(ids.size() * 2);
		for (String id : ids) {
			results.add(this.redis.opsForHash().entries(this.nodePrefix + id));
			results.add(this.redis.hasKey(this.heartbeatPrefix + id));
		}
		return results;
	}

	private static @Nullable NodeInfo parse(String id, @Nullable Object hash) {
		if (!(hash instanceof Map<?, ?> fields) || !(fields.get("address") instanceof String address)
				|| !(fields.get("services") instanceof String servicesJson)
				|| !(fields.get("timestamp") instanceof String timestamp)) {
			return null;
		}
		try {
			List<ServiceInfo> services = JSON.readValue(servicesJson, new TypeReference<List<ServiceInfo>>() {
			});
			return new NodeInfo(id, address, services, Long.parseLong(timestamp));
		}
		catch (JsonProcessingException | NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * The active nodes offering a service; {@code version} may be exact, a semver range
	 * ({@code ^1.2}) or {@code null} for any.
	 * @param name the service name
	 * @param version a version or semver range; {@code null} for any
	 * @return the nodes offering it
	 */
	public List<NodeInfo> findNodesByService(String name, @Nullable String version) {
		List<NodeInfo> result = new ArrayList<>();
		for (NodeInfo node : getActiveNodes()) {
			for (ServiceInfo service : node.services()) {
				if (service.name().equals(name) && versionMatches(service.version(), version)) {
					result.add(node);
					break;
				}
			}
		}
		return result;
	}

	static boolean versionMatches(@Nullable String offered, @Nullable String wanted) {
		if (wanted == null || wanted.isEmpty() || wanted.equals(offered)) {
			return true;
		}
		Semver version = (offered != null) ? Semver.parse(offered) : null;
		if (version == null || Semver.isValid(wanted)) {
			return false;
		}
		try {
			return version.satisfies(wanted);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Whether a node's heartbeat key exists; a node without one is removed from the registry.
	 * @param nodeId the node
	 * @return whether its heartbeat is alive
	 */
	public boolean isNodeActive(String nodeId) {
		Boolean exists = this.redis.hasKey(this.heartbeatPrefix + nodeId);
		if (!Boolean.TRUE.equals(exists)) {
			deregister(nodeId);
			return false;
		}
		return true;
	}

	/** MULTI; DEL node heartbeat; SREM index id; EXEC. */
	/**
	 * {@return whether Redis is a cluster} Asked of a connection once: a cluster takes no script or
	 * transaction over keys of different slots, so registry writes go one key at a time there.
	 */
	boolean isCluster() {
		Boolean known = this.cluster;
		if (known == null) {
			known = Boolean.TRUE.equals(this.redis.execute((RedisCallback<Boolean>) (connection) -> connection instanceof RedisClusterConnection));
			this.cluster = known;
		}
		return known;
	}

	private void deregister(String id) {
		if (isCluster()) {
			// index first: from then on no reader finds the node, whatever is left of it
			this.redis.opsForSet().remove(this.index, id);
			this.redis.delete(this.nodePrefix + id);
			this.redis.delete(this.heartbeatPrefix + id);
			return;
		}
		this.redis.execute(new SessionCallback<List<Object>>() {

			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public List<Object> execute(RedisOperations operations) {
				operations.multi();
				operations.delete(List.of(ServiceDiscovery.this.nodePrefix + id, ServiceDiscovery.this.heartbeatPrefix + id));
				operations.opsForSet().remove(ServiceDiscovery.this.index, id);
				return operations.exec();
			}

		});
	}

	// ------------------------------------------------------------------ events

	private void publishEvent(DiscoveryEvent.Type type) {
		if (!this.options.pubSubEnabled()) {
			return;
		}
		DiscoveryEvent event = new DiscoveryEvent(type, this.nodeId, this.address, this.services,
				System.currentTimeMillis());
		this.redis.convertAndSend(this.options.pubSubChannel(), json(event));
	}

	private void onMessage(Message message, byte @Nullable [] pattern) {
		if (this.stopped) {
			return;
		}
		try {
			DiscoveryEvent event = JSON.readValue(message.getBody(), DiscoveryEvent.class);
			for (Consumer<DiscoveryEvent> listener : this.listeners) {
				listener.accept(event);
			}
		}
		catch (Exception ex) {
			logger.warn("Ignored a registry event that could not be read: {}", ex.getMessage());
		}
	}

	private static String json(Object value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String rootMessage(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

}
