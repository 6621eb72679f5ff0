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
 * service in the registry (semver ranges included), connects to them
 * ({@code ws://<address><path>}), and spreads calls over them by its {@link RoutingStrategy}
 * (round-robin unless told otherwise). A node that cannot
 * be reached is skipped until the next refresh; the node list is refreshed on registry events,
 * or every {@code refreshInterval} when pub/sub is off.
 */
public class DiscoveryServiceRouter implements ServiceRouter {

	private static final Logger logger = LoggerFactory.getLogger(DiscoveryServiceRouter.class);

	private final ServiceDiscovery discovery;

	private final Netron netron;

	private final String path;

	private final Duration refreshInterval;

	private final Map<String, Nodes> nodes = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<RemotePeer>> connections = new ConcurrentHashMap<>();

	private final Map<String, Long> unreachable = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

	private final RoutingStrategy strategy;

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
	 * @param refreshInterval how often the node list is read again
	 * @param strategy how a node is chosen among those that offer the service
	 */
	public DiscoveryServiceRouter(ServiceDiscovery discovery, Netron netron, String path, Duration refreshInterval,
			RoutingStrategy strategy) {
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
		this.nodes.remove(service);
	}

	/**
	 * A registry event: the node lists are stale; a node that left is disconnected.
	 * @param event a registry event
	 */
	public void onEvent(DiscoveryEvent event) {
		this.nodes.clear();
		if (event.type() == DiscoveryEvent.Type.NODE_DEREGISTERED) {
			CompletableFuture<RemotePeer> connection = this.connections.remove(event.nodeId());
			if (connection != null && connection.isDone() && !connection.isCompletedExceptionally()) {
				connection.join().disconnect();
			}
		}
		else {
			this.unreachable.remove(event.nodeId());
		}
	}

	private List<NodeInfo> candidates(String service, boolean refresh) {
		int at = service.indexOf('@');
		String name = (at < 0) ? service : service.substring(0, at);
		String version = (at < 0) ? null : service.substring(at + 1);
		Nodes cached = this.nodes.get(service);
		long now = System.nanoTime();
		if (refresh || cached == null || now - cached.fetchedAt() > this.refreshInterval.toNanos()) {
			this.unreachable.values().removeIf((since) -> now - since > this.refreshInterval.toNanos());
			cached = new Nodes(this.discovery.findNodesByService(name, version), now);
			this.nodes.put(service, cached);
		}
		List<NodeInfo> result = new ArrayList<>();
		for (NodeInfo node : cached.list()) {
			if (!this.unreachable.containsKey(node.nodeId())) {
				result.add(node);
			}
		}
		return result;
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

	private record Nodes(List<NodeInfo> list, long fetchedAt) {
	}

}
