package io.netron.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netron.client.NetronPeers;
import io.netron.client.PeerSettings;
import io.netron.core.FatalErrors;
import io.netron.core.Netron;
import io.netron.core.RemotePeer;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The node's health: UP while it serves, OUT_OF_SERVICE while it drains for shutdown, DOWN once
 * closed, or once a thread died of an {@link OutOfMemoryError} (see {@link FatalErrors}). Configured peers appear in the details, an unreachable one as OUT_OF_SERVICE, without
 * changing the node's own status: a peer being away does not make this application unhealthy.
 */
public class NetronHealthIndicator extends AbstractHealthIndicator {

	private final Netron netron;

	private final @Nullable NetronPeers peers;

	private final @Nullable String endpoint;

	/**
	 * A health indicator of the node.
	 * @param netron the node
	 * @param peers the configured peers, if any
	 * @param endpoint the served endpoint path, if the node serves
	 */
	public NetronHealthIndicator(Netron netron, @Nullable NetronPeers peers, @Nullable String endpoint) {
		super("Netron health check failed");
		this.netron = netron;
		this.peers = peers;
		this.endpoint = endpoint;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Status status = this.netron.isClosed() ? Status.DOWN : this.netron.isDraining() ? Status.OUT_OF_SERVICE : Status.UP;
		FatalErrors.Fatal fatal = FatalErrors.first();
		if (fatal != null) {
			// a thread died of an OutOfMemoryError (the container's I/O thread, maybe): the node may be deaf
			status = Status.DOWN;
		}
		builder.status(status).withDetail("nodeId", this.netron.id());
		if (fatal != null) {
			builder.withDetail("fatalError", fatal.toString());
		}
		if (this.endpoint != null) {
			builder.withDetail("endpoint", this.endpoint);
		}
		builder.withDetail("services", List.copyOf(new java.util.TreeSet<>(this.netron.localPeer().serviceNames())));
		List<String> connected = new ArrayList<>();
		for (RemotePeer peer : this.netron.peers()) {
			connected.add(peer.id());
		}
		builder.withDetail("connectedPeers", connected);
		builder.withDetail("requestsInFlight", this.netron.requestsInFlight());
		if (this.peers != null && !this.peers.settings().isEmpty()) {
			Map<String, @Nullable RemotePeer> current = this.peers.current();
			Map<String, Object> configured = new LinkedHashMap<>();
			for (PeerSettings settings : this.peers.settings().values()) {
				RemotePeer peer = current.get(settings.name());
				if (peer != null && !peer.isConnected()) {
					// a health check shows the peer is wanted: try now rather than at the next backoff step
					peer.reconnectIfDue();
				}
				Map<String, Object> detail = new LinkedHashMap<>();
				detail.put("url", settings.url().toString());
				detail.put("status", (peer != null && peer.isConnected()) ? Status.UP.getCode()
						: (peer == null && !this.peers.attempted(settings.name())) ? Status.UNKNOWN.getCode()
								: Status.OUT_OF_SERVICE.getCode());
				configured.put(settings.name(), detail);
			}
			builder.withDetail("peers", configured);
		}
	}

}
