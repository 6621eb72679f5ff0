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
 * once and then kept current by the registry's events (every node's heartbeat is one), with a full
 * read again as a safety net every {@code 2 x heartbeat TTL} (every {@code refreshInterval} when
 * pub/sub is off, as events then never come). With events, a node not heard from within the
 * heartbeat TTL is no longer routed to, before any cleanup removes it from the registry. A node
 * that cannot be reached is skipped until the next refresh.
 */
public class DiscoveryServiceRouter implements ServiceRouter {

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
		this(discovery, netron, path, refreshInterval, strategy, discovery.options().heartbeatTtl().multipliedBy(2));
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
		if (this.strategy == RoutingStrategy.LEAST_IN_FLIGHT) {
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
		// the version is read before the view: a change while computing makes the entry stale at once
		long version = this.viewVersion.get();
		Providers cached = this.providers.get(service);
		if (cached == null || cached.version() != version) {
			cached = new Providers(offering(service), version);
			this.providers.put(service, cached);
		}
		List<String> ids = cached.ids();
		long ttl = this.discovery.options().heartbeatTtl().toNanos();
		List<NodeInfo> result = new ArrayList<>(ids.size());
		for (String id : ids) {
			Seen seen = this.view.get(id);
			// with events, a node unheard of for a heartbeat TTL is as good as expired
			if (seen != null && !this.unreachable.containsKey(id) && (!events || now - seen.at() <= ttl)) {
				result.add(seen.node());
			}
		}
		return result;
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
	}

	/** The ids of the nodes in the view that offer a service. */
	private List<String> offering(String service) {
		int at = service.indexOf('@');
		String name = (at < 0) ? service : service.substring(0, at);
		String version = (at < 0) ? null : service.substring(at + 1);
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

	private RemotePeer connect(NodeInfo node) {
		CompletableFuture<RemotePeer> connection = this.connections.compute(node.nodeId(), (id, existing) -> {
			if (existing != null && !existing.isCompletedExceptionally()
					&& (!existing.isDone() || !existing.join().isClosed())) {
				return existing;
			}
			URI uri = URI.create("ws://" + node.address() + this.path);
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
