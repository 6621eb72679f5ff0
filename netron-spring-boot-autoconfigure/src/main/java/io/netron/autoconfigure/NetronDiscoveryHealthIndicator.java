package io.netron.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.netron.discovery.ServiceDiscovery;
import io.netron.discovery.ServiceInfo;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Discovery health: UP with the node's registration details and the number of active nodes;
 * DOWN when Redis cannot be read or the last successful heartbeat is older than the TTL. It
 * comes back UP by itself once heartbeats succeed again.
 */
public class NetronDiscoveryHealthIndicator extends AbstractHealthIndicator {

	private final ServiceDiscovery discovery;

	/**
	 * A health indicator of the node's registration.
	 * @param discovery the node's discovery
	 */
	public NetronDiscoveryHealthIndicator(ServiceDiscovery discovery) {
		super("Netron discovery health check failed");
		this.discovery = discovery;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("nodeId", this.discovery.nodeId())
			.withDetail("registered", this.discovery.isRegistered())
			.withDetail("heartbeating", this.discovery.isStarted());
		if (this.discovery.isStarted()) {
			builder.withDetail("address", this.discovery.address())
				.withDetail("services", this.discovery.services().stream().map(ServiceInfo::qualifiedName).toList());
		}
		Instant last = this.discovery.lastHeartbeat();
		if (last != null) {
			builder.withDetail("lastHeartbeatAgeMs", Duration.between(last, Instant.now()).toMillis());
		}
		String error = this.discovery.lastError();
		if (error != null) {
			builder.withDetail("lastError", error);
		}
		boolean stale = this.discovery.isStarted()
				&& (last == null || Duration.between(last, Instant.now()).compareTo(this.discovery.options().heartbeatTtl()) > 0);
		// one SCARD, not a read of every node: health is polled, and registries hold thousands of nodes
		String unreachable = null;
		try {
			builder.withDetail("registryNodes", this.discovery.countRegisteredNodes());
		}
		catch (RuntimeException ex) {
			// the heartbeat details above still say how long the node has gone unregistered
			unreachable = "Redis cannot be reached: " + ex.getMessage();
		}
		if (unreachable != null) {
			builder.down().withDetail("reason", unreachable);
		}
		else if (stale) {
			builder.down().withDetail("reason", "no successful heartbeat within the TTL ("
					+ this.discovery.options().heartbeatTtl() + ")");
		}
		else {
			builder.up();
		}
	}

}
