package io.netron.discovery;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A registry change, published on the events channel as
 * {@code {type, nodeId, address, services, timestamp}} and, in Spring applications, as an
 * application event.
 *
 * @param type what happened
 * @param nodeId the node it happened to
 * @param address the node's address
 * @param services the node's services
 * @param timestamp when, milliseconds since the epoch
 */
@JsonPropertyOrder({ "type", "nodeId", "address", "services", "timestamp" })
public record DiscoveryEvent(Type type, String nodeId, String address, List<ServiceInfo> services, long timestamp) {

	/**
	 * Checks the components.
	 * @param type what happened
	 * @param nodeId the node it happened to
	 * @param address the node's address
	 * @param services the node's services
	 * @param timestamp when, milliseconds since the epoch
	 */
	public DiscoveryEvent {
		services = List.copyOf(services);
	}

	/** The kinds of registry change. */
	public enum Type {

		/** A node's first registration. */
		NODE_REGISTERED,

		/** A later registration: heartbeat, services or address. */
		NODE_UPDATED,

		/** A node left gracefully. */
		NODE_DEREGISTERED

	}

}
