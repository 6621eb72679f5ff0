package io.netron.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.netron.core.MemoryBudget;
import io.netron.core.Netron;
import io.netron.core.RemotePeer;
import io.netron.discovery.NodeInfo;
import io.netron.discovery.ServiceDiscovery;
import io.netron.discovery.ServiceInfo;
import io.netron.protocol.Definition;
import io.netron.protocol.ServiceMetadata;
import io.netron.transport.NetronHttpService;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code netron} actuator endpoint ({@code /actuator/netron}, read-only): this node, the
 * services it exposes with their members, the peers connected in both directions, and, when
 * discovery is on, what the Redis registry lists. The first place an operator looks.
 */
@Endpoint(id = "netron")
public class NetronEndpoint {

	private final Netron netron;

	private final @Nullable ServiceDiscovery discovery;

	/**
	 * The endpoint of a node.
	 * @param netron the node
	 * @param discovery the node's discovery, {@code null} when it is off
	 */
	public NetronEndpoint(Netron netron, @Nullable ServiceDiscovery discovery) {
		this(netron, discovery, null, "/netron");
	}

	/**
	 * The endpoint of a node that serves the HTTP transport too.
	 * @param netron the node
	 * @param discovery the node's discovery, {@code null} when it is off
	 * @param http the HTTP transport, {@code null} when it is off
	 * @param path the base path of the endpoints
	 */
	public NetronEndpoint(Netron netron, @Nullable ServiceDiscovery discovery, @Nullable NetronHttpService http,
			String path) {
		this.netron = netron;
		this.discovery = discovery;
		this.http = http;
		this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	private final @Nullable NetronHttpService http;

	private final String path;

	/** {@return what the node is, serves and is connected to} */
	@ReadOperation
	public NetronDescriptor netron() {
		List<ServiceDescriptor> services = new ArrayList<>();
		for (Definition definition : this.netron.localPeer().services().values()) {
			ServiceMetadata meta = definition.meta();
			Map<String, PropertyDescriptor> properties = new TreeMap<>();
			meta.properties().forEach((name, info) -> properties.put(name, new PropertyDescriptor(info.type(), info.readonly())));
			services.add(new ServiceDescriptor(meta.qualifiedName(), meta.name(), meta.version(),
					List.copyOf(new TreeMap<>(meta.methods()).keySet()), properties,
					!definition.peerId().equals(this.netron.id()) ? definition.peerId() : null));
		}
		List<PeerDescriptor> peers = new ArrayList<>();
		for (RemotePeer peer : this.netron.peers()) {
			peers.add(new PeerDescriptor(peer.id(), peer.isOutgoing() ? "outbound" : "inbound", peer.remoteAddress(),
					String.valueOf(peer.connectedSince()), (peer.principal() != null) ? peer.principal().getName() : null,
					peer.requestsBeingServed(), peer.requestsAwaited(), peer.openStreams(),
					List.copyOf(new java.util.TreeSet<>(peer.serviceNames()))));
		}
		MemoryBudget budget = this.netron.memory();
		MemoryDescriptor memory = new MemoryDescriptor(budget.limit(), budget.used(), budget.heaviest(5));
		NodeDescriptor node = new NodeDescriptor(this.netron.id(), state(), this.netron.requestsInFlight(),
				this.netron.workerThreads(), this.netron.queuedWork(), this.netron.reconnectAttempts(), memory);
		NetronHttpService transport = this.http;
		HttpDescriptor http = (transport != null) ? new HttpDescriptor(List.of(this.path + "/invoke", this.path + "/batch",
				this.path + "/authenticate", this.path + "/openapi.json"), transport.requestsInFlight()) : null;
		return new NetronDescriptor(node, services, peers, discovery(), http);
	}

	private String state() {
		if (this.netron.isClosed()) {
			return "closed";
		}
		if (this.netron.isDraining()) {
			return "draining";
		}
		return this.netron.isAcceptingConnections() ? "serving" : "starting";
	}

	private @Nullable DiscoveryDescriptor discovery() {
		ServiceDiscovery discovery = this.discovery;
		if (discovery == null) {
			return null;
		}
		List<NodeEntry> nodes = new ArrayList<>();
		String registryError = null;
		try {
			long now = System.currentTimeMillis();
			for (NodeInfo info : discovery.getActiveNodes()) {
				nodes.add(new NodeEntry(info.nodeId(), info.address(),
						info.services().stream().map(ServiceInfo::qualifiedName).sorted().toList(),
						Duration.ofMillis(Math.max(0, now - info.timestamp())).toString()));
			}
		}
		catch (RuntimeException ex) {
			registryError = "Cannot read the registry: " + ex.getMessage();
		}
		return new DiscoveryDescriptor(discovery.address(), discovery.isStarted(),
				(discovery.lastHeartbeat() != null) ? String.valueOf(discovery.lastHeartbeat()) : null,
				discovery.lastError(), discovery.heartbeats(), discovery.failedHeartbeats(), nodes, registryError);
	}

	/**
	 * The endpoint's answer.
	 * @param node this node
	 * @param services the services it exposes (relayed ones name the peer that serves them)
	 * @param peers the peers connected, both directions
	 * @param discovery the registry's view, {@code null} when discovery is off
	 * @param http the HTTP transport, {@code null} when it is off
	 */
	public record NetronDescriptor(NodeDescriptor node, List<ServiceDescriptor> services, List<PeerDescriptor> peers,
			@Nullable DiscoveryDescriptor discovery, @Nullable HttpDescriptor http) {
	}

	/**
	 * The HTTP transport.
	 * @param paths what it serves
	 * @param requestsInFlight the invocations it is serving now
	 */
	public record HttpDescriptor(List<String> paths, int requestsInFlight) {
	}

	/**
	 * This node.
	 * @param id its node id
	 * @param state {@code starting}, {@code serving}, {@code draining} or {@code closed}
	 * @param requestsInFlight requests it is serving
	 * @param workerThreads the worker pool's threads (-1 when not a thread pool)
	 * @param queuedWork requests waiting for a worker (-1 when not a thread pool)
	 * @param reconnectAttempts reconnect attempts since it started
	 * @param memory its memory budget and who holds the most of it
	 */
	public record NodeDescriptor(String id, String state, int requestsInFlight, int workerThreads, int queuedWork,
			long reconnectAttempts, MemoryDescriptor memory) {
	}

	/**
	 * The node's memory budget ({@code netron.server.max-buffered-bytes}).
	 * @param limit the bytes its peers may make it hold
	 * @param used the bytes they hold now
	 * @param heaviest the five connections holding the most, heaviest first
	 */
	public record MemoryDescriptor(long limit, long used, List<MemoryBudget.Holding> heaviest) {
	}

	/**
	 * A service this node exposes.
	 * @param qualifiedName {@code name@version}
	 * @param name its name
	 * @param version its version
	 * @param methods its public methods
	 * @param properties its public properties
	 * @param relayedTo the peer serving it when a peer exposed it through this node, else {@code null}
	 */
	public record ServiceDescriptor(String qualifiedName, String name, String version, List<String> methods,
			Map<String, PropertyDescriptor> properties, @Nullable String relayedTo) {
	}

	/**
	 * A public property.
	 * @param type its type, as the definition names it
	 * @param readonly whether peers may only read it
	 */
	public record PropertyDescriptor(String type, boolean readonly) {
	}

	/**
	 * A connected peer.
	 * @param id its node id
	 * @param direction {@code inbound} (it connected here) or {@code outbound}
	 * @param address the connection's remote address
	 * @param connectedSince when the current connection opened
	 * @param principal who it authenticated as, {@code null} if it did not
	 * @param requestsBeingServed its requests this node is serving or has queued
	 * @param requestsAwaited requests this node sent it and waits for
	 * @param openStreams streams open with it
	 * @param services the services it offers
	 */
	public record PeerDescriptor(String id, String direction, @Nullable String address, String connectedSince,
			@Nullable String principal, int requestsBeingServed, int requestsAwaited, int openStreams,
			List<String> services) {
	}

	/**
	 * What discovery knows.
	 * @param address the address this node registers
	 * @param started whether its heartbeats run
	 * @param lastHeartbeat when the last heartbeat succeeded
	 * @param lastError the last heartbeat's error, {@code null} after a success
	 * @param heartbeats heartbeats that succeeded
	 * @param failedHeartbeats heartbeats that failed after all their attempts
	 * @param nodes the nodes the registry lists as alive
	 * @param registryError why the registry could not be read now, {@code null} when it could
	 */
	public record DiscoveryDescriptor(String address, boolean started, @Nullable String lastHeartbeat,
			@Nullable String lastError, long heartbeats, long failedHeartbeats, List<NodeEntry> nodes,
			@Nullable String registryError) {
	}

	/**
	 * A node the registry lists.
	 * @param id its node id
	 * @param address its {@code host:port}
	 * @param services its services
	 * @param heartbeatAge how long ago it last registered, such as {@code PT2.104S}
	 */
	public record NodeEntry(String id, String address, List<String> services, String heartbeatAge) {
	}

}
