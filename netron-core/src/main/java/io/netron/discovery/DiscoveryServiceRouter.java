package io.netron.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netron.NetronException;
import io.netron.client.ServiceRouter;
import io.netron.core.Netron;
import io.netron.core.RemotePeer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes {@code @NetronClient}s without a configured peer: finds the nodes that offer the
 * service (semver ranges included), connects to them ({@code ws://<address><path>}), and spreads
 * calls over them by its {@link RoutingStrategy} (round-robin unless told otherwise).
 *
 * <p>Routing a call reads no Redis: the router keeps a local view of the registry, read in full
 * once and then kept current by the registry's events (registrations, changes, deregistrations),
 * with a full read again as a safety net against lost events every five minutes (every
 * {@code refreshInterval} when pub/sub is off, as events then never come). Every heartbeat interval
 * it asks Redis, in one pipeline, whether the nodes calls are routed among still heartbeat, so a
 * node that died without deregistering leaves the view within a TTL and an interval, before any
 * cleanup of the registry; a node not heard of for a TTL is checked before it is routed to. A node
 * that cannot be reached is skipped until the next refresh.
 */
public class DiscoveryServiceRouter implements ServiceRouter, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DiscoveryServiceRouter.class);

	private final ServiceDiscovery discovery;

	private final Netron netron;

	private final String path;

	private final Duration refreshInterval;

	/** The registry as this router knows it: every node, and when it was last heard of. */
	private final Map<String, Seen> view = new ConcurrentHashMap<>();

	/** When the view was last read in full from Redis (nanoTime), {@code 0} before the first time. */
	private volatile long viewReadAt;

	/** Bumped when the view changes in more than freshness: {@link #providers} entries of older versions are stale. */
	private final java.util.concurrent.atomic.AtomicLong viewVersion = new java.util.concurrent.atomic.AtomicLong();

	/** The providers of each service name and version asked for, by node id, from the view. */
	private final Map<String, Providers> providers = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<RemotePeer>> connections = new ConcurrentHashMap<>();

	private final Map<String, Long> unreachable = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

	private final RoutingStrategy strategy;

	private final Duration fullReadInterval;

	/** Strategies of services routed otherwise than by {@link #strategy}, by service name. */
	private final Map<String, RoutingStrategy> strategies = new ConcurrentHashMap<>();

	private volatile java.util.concurrent.@org.jspecify.annotations.Nullable ScheduledFuture<?> livenessChecks;

	private volatile boolean closed;

	/**
	 * A router over the registry.
	 * @param discovery the registry
	 * @param netron the node that connects
	 * @param path the endpoint path of discovered nodes
	 * @param refreshInterval how often the node list is read again
	 */
	public DiscoveryServiceRouter(ServiceDiscovery discovery, Netron netron, String path, Duration refreshInterval) {
		this(discovery, netron, path, refreshInterval, RoutingStrategy.ROUND_ROBIN);
	}

	/**
	 * A router over the registry with a routing strategy.
	 * @param discovery the registry
	 * @param netron the node that connects
	 * @param path the endpoint path of discovered nodes
	 * @param refreshInterval how long a node found unreachable is skipped, and how often the registry
	 *        is read again when pub/sub is off
	 * @param strategy how a node is chosen among those that offer the service
	 */
	public DiscoveryServiceRouter(ServiceDiscovery discovery, Netron netron, String path, Duration refreshInterval,
			RoutingStrategy strategy) {
		this(discovery, netron, path, refreshInterval, strategy, Duration.ofMinutes(5));
	}

	/**
	 * A router over the registry with a routing strategy and a safety-net interval.
	 * @param discovery the registry
	 * @param netron the node that connects
	 * @param path the endpoint path of discovered nodes
	 * @param refreshInterval how long a node found unreachable is skipped
	 * @param strategy how a node is chosen among those that offer the service
	 * @param fullReadInterval how often the whole registry is read again in case events were lost,
	 *        while the registry's events are followed (else every {@code refreshInterval})
	 */
	public DiscoveryServiceRouter(ServiceDiscovery discovery, Netron netron, String path, Duration refreshInterval,
			RoutingStrategy strategy, Duration fullReadInterval) {
		this.fullReadInterval = fullReadInterval;
		this.strategy = strategy;
		this.discovery = discovery;
		this.netron = netron;
		this.path = path;
		this.refreshInterval = refreshInterval;
	}

	@Override
	public RemotePeer route(String service) {
		List<NodeInfo> candidates = candidates(service, false);
		if (candidates.isEmpty()) {
			candidates = candidates(service, true);
		}
		if (candidates.isEmpty()) {
			throw new NetronException("No node in the registry offers service '" + service + "'");
		}
		int start = Math.floorMod(this.turns.computeIfAbsent(service, (key) -> new AtomicInteger()).getAndIncrement(),
				candidates.size());
		List<NodeInfo> order = new ArrayList<>(candidates.size());
		for (int i = 0; i < candidates.size(); i++) {
			order.add(candidates.get((start + i) % candidates.size()));
		}
		if (strategyFor(service) == RoutingStrategy.LEAST_IN_FLIGHT) {
			// stable: among nodes with as many requests in flight, the round-robin order stands
			order.sort(java.util.Comparator.comparingInt(this::inFlight));
		}
		List<String> failures = new ArrayList<>();
		for (NodeInfo node : order) {
			try {
				return connect(node);
			}
			catch (RuntimeException ex) {
				this.unreachable.put(node.nodeId(), System.nanoTime());
				failures.add(node.nodeId() + " at " + node.address() + ": " + ex.getMessage());
			}
		}
		throw new NetronException("No reachable node offers service '" + service + "': " + failures);
	}

	/**
	 * The nodes a call of the service would be routed among, from the local view: those that offer
	 * it, have been heard of within the heartbeat TTL, and were not found unreachable lately.
	 * @param service the name, with a version or a semver range, or neither
	 * @return the nodes, possibly none
	 */
	public List<NodeInfo> providers(String service) {
		return candidates(service, false);
	}

	/**
	 * Routes the calls of one service by another strategy than the router's (clients of that service
	 * then choose their nodes so).
	 * @param serviceName the service's name, without a version
	 * @param strategy how its calls choose a node
	 */
	public void setStrategy(String serviceName, RoutingStrategy strategy) {
		this.strategies.put(serviceName, strategy);
	}

	private RoutingStrategy strategyFor(String service) {
		if (this.strategies.isEmpty()) {
			return this.strategy;
		}
		return this.strategies.getOrDefault(nameOf(service), this.strategy);
	}

	/** {@return the name of {@code name}, {@code name@version} or {@code name@range}} */
	private static String nameOf(String service) {
		int at = service.indexOf('@');
		return (at < 0) ? service : service.substring(0, at);
	}

	/** The requests this node sent to a node and waits for (0 when not connected yet). */
	private int inFlight(NodeInfo node) {
		CompletableFuture<RemotePeer> connection = this.connections.get(node.nodeId());
		if (connection == null || !connection.isDone() || connection.isCompletedExceptionally()) {
			return 0;
		}
		return connection.join().requestsAwaited();
	}

	@Override
	public void unreachable(String service, RemotePeer peer) {
		this.unreachable.put(peer.id(), System.nanoTime());
	}

	/**
	 * A registry event: the view takes the node's registration; a node that left is forgotten and
	 * disconnected. Heartbeats that change nothing but the node's freshness cost no Redis read.
	 * @param event a registry event
	 */
	public void onEvent(DiscoveryEvent event) {
		if (event.type() == DiscoveryEvent.Type.NODE_DEREGISTERED) {
			if (this.view.remove(event.nodeId()) != null) {
				this.viewVersion.incrementAndGet();
			}
			CompletableFuture<RemotePeer> connection = this.connections.remove(event.nodeId());
			if (connection != null && connection.isDone() && !connection.isCompletedExceptionally()) {
				connection.join().disconnect();
			}
			return;
		}
		NodeInfo node = new NodeInfo(event.nodeId(), event.address(), event.services(), event.timestamp());
		Seen previous = this.view.put(event.nodeId(), new Seen(node, System.nanoTime()));
		if (previous == null || !previous.node().address().equals(node.address())
				|| !previous.node().services().equals(node.services())) {
			this.viewVersion.incrementAndGet();
		}
		this.unreachable.remove(event.nodeId());
	}

	private List<NodeInfo> candidates(String service, boolean refresh) {
		long now = System.nanoTime();
		boolean events = this.discovery.isFollowingEvents();
		long fullReadEvery = events ? this.fullReadInterval.toNanos() : this.refreshInterval.toNanos();
		if (refresh || this.viewReadAt == 0 || now - this.viewReadAt > fullReadEvery) {
			readView(now);
		}
		startLivenessChecks();
		// the version is read before the view: a change while computing makes the entry stale at once
		long version = this.viewVersion.get();
		Providers cached = this.providers.get(service);
		if (cached == null || cached.version() != version) {
			cached = new Providers(offering(service), version);
			this.providers.put(service, cached);
		}
		List<String> ids = cached.ids();
		long ttl = this.discovery.options().heartbeatTtl().toNanos();
		if (events) {
			// nodes not heard of for a TTL (a service routed for the first time in a while): ask Redis
			// about those few, rather than route to a node that may have died
			List<String> stale = new ArrayList<>();
			for (String id : ids) {
				Seen seen = this.view.get(id);
				if (seen != null && now - seen.at() > ttl) {
					stale.add(id);
				}
			}
			if (!stale.isEmpty()) {
				checkLiveness(stale);
			}
		}
		List<NodeInfo> result = new ArrayList<>(ids.size());
		long checkedAt = System.nanoTime();
		for (String id : ids) {
			Seen seen = this.view.get(id);
			if (seen != null && !this.unreachable.containsKey(id) && (!events || checkedAt - seen.at() <= ttl)) {
				result.add(seen.node());
			}
		}
		return result;
	}

	/**
	 * Asks Redis which of these nodes still heartbeat ({@code EXISTS} on their heartbeat keys):
	 * those that do are fresh again, those that do not leave the view (a node that died without
	 * deregistering, before any cleanup of the registry).
	 */
	private void checkLiveness(java.util.Collection<String> ids) {
		java.util.Set<String> alive;
		try {
			alive = this.discovery.aliveAmong(ids);
		}
		catch (RuntimeException ex) {
			// Redis away: keep the view as it is; the nodes' own connections tell whether they answer
			logger.debug("Cannot check the heartbeats of {}: {}", ids, ex.getMessage());
			return;
		}
		long now = System.nanoTime();
		boolean changed = false;
		for (String id : ids) {
			if (alive.contains(id)) {
				this.view.computeIfPresent(id, (key, seen) -> new Seen(seen.node(), now));
			}
			else if (this.view.remove(id) != null) {
				changed = true;
			}
		}
		if (changed) {
			this.viewVersion.incrementAndGet();
			forgetConnectionsOfNodesGone();
		}
	}

	/**
	 * Disconnects, for good, the connections of nodes the registry no longer lists: a node that died
	 * without deregistering would otherwise be reconnected to forever, and once another node (or the
	 * same one restarted under a new id) listens at its address, that connection would lead there
	 * beside the one the router keeps for it, unseen.
	 */
	private void forgetConnectionsOfNodesGone() {
		for (Map.Entry<String, CompletableFuture<RemotePeer>> entry : List.copyOf(this.connections.entrySet())) {
			if (this.view.containsKey(entry.getKey()) || !this.connections.remove(entry.getKey(), entry.getValue())) {
				continue;
			}
			CompletableFuture<RemotePeer> connection = entry.getValue();
			logger.info("Node {} left the registry: its connection is closed and not reconnected", entry.getKey());
			connection.whenComplete((peer, failure) -> {
				if (peer != null) {
					peer.disconnect();
				}
			});
		}
	}

	/** Every heartbeat interval, the nodes calls are routed among are checked (a few commands, pipelined). */
	private void startLivenessChecks() {
		if (this.livenessChecks != null || this.closed) {
			return;
		}
		synchronized (this) {
			if (this.livenessChecks != null || this.closed) {
				return;
			}
			java.time.Duration interval = this.discovery.options().heartbeatInterval();
			this.livenessChecks = this.discovery.scheduler().scheduleAtFixedRate(() -> {
				java.util.Set<String> routed = new java.util.HashSet<>();
				this.providers.values().forEach((entry) -> routed.addAll(entry.ids()));
				if (!routed.isEmpty() && this.discovery.isFollowingEvents()) {
					checkLiveness(routed);
				}
			}, java.time.Instant.now().plus(interval), interval);
		}
	}

	/** Stops the liveness checks. */
	@Override
	public synchronized void close() {
		this.closed = true;
		java.util.concurrent.ScheduledFuture<?> checks = this.livenessChecks;
		if (checks != null) {
			checks.cancel(false);
		}
	}

	/** Reads the whole registry into the view (the safety net against lost events). */
	private synchronized void readView(long now) {
		if (this.viewReadAt != 0 && now - this.viewReadAt < 0) {
			return;
		}
		this.unreachable.values().removeIf((since) -> now - since > this.refreshInterval.toNanos());
		Map<String, Seen> read = new java.util.HashMap<>();
		for (NodeInfo node : this.discovery.getActiveNodes()) {
			read.put(node.nodeId(), new Seen(node, now));
		}
		this.view.keySet().retainAll(read.keySet());
		this.view.putAll(read);
		this.viewVersion.incrementAndGet();
		this.viewReadAt = System.nanoTime();
		forgetConnectionsOfNodesGone();
	}

	/** The ids of the nodes in the view that offer a service. */
	private List<String> offering(String service) {
		String name = nameOf(service);
		String version = (name.length() < service.length()) ? service.substring(name.length() + 1) : null;
		List<String> ids = new ArrayList<>();
		for (Seen seen : this.view.values()) {
			for (ServiceInfo offered : seen.node().services()) {
				if (offered.name().equals(name) && ServiceDiscovery.versionMatches(offered.version(), version)) {
					ids.add(seen.node().nodeId());
					break;
				}
			}
		}
		return List.copyOf(ids);
	}

	/**
	 * Where a registered node is reached: {@code ws://<address><path>} for a {@code host:port}
	 * address (what Java and seed-era nodes register, and Titan nodes by default), the address itself
	 * when a node registered a URL ({@code ws://host:port}, as a Titan node may).
	 */
	static URI nodeUri(String address, String path) {
		if (address.contains("://")) {
			return URI.create(address);
		}
		return URI.create("ws://" + address + path);
	}

	private RemotePeer connect(NodeInfo node) {
		CompletableFuture<RemotePeer> connection = this.connections.compute(node.nodeId(), (id, existing) -> {
			if (existing != null && !existing.isCompletedExceptionally()
					&& (!existing.isDone() || !existing.join().isClosed())) {
				return existing;
			}
			URI uri = nodeUri(node.address(), this.path);
			logger.debug("Connecting to node {} at {}", node.nodeId(), uri);
			return this.netron.connect(uri);
		});
		try {
			RemotePeer peer = connection.get(this.netron.options().connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
			if (!peer.isConnected()) {
				throw new NetronException(peer + " is not connected");
			}
			return peer;
		}
		catch (Exception ex) {
			this.connections.remove(node.nodeId(), connection);
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new NetronException(String.valueOf(cause.getMessage()), cause);
		}
	}

	/** The ids of a service's providers, as of a version of the view. */
	private record Providers(List<String> ids, long version) {
	}

	/** A node of the view and when it was last heard of (nanoTime). */
	private record Seen(NodeInfo node, long at) {
	}

}
