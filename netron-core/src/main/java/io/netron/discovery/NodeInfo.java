package io.netron.discovery;

import java.util.List;

/**
 * A node in the registry.
 *
 * @param nodeId its Netron id
 * @param address {@code host:port} of its endpoint (no scheme or path)
 * @param services what it offers
 * @param timestamp its last registration, milliseconds since the epoch
 */
public record NodeInfo(String nodeId, String address, List<ServiceInfo> services, long timestamp) {

	/**
	 * Checks the components.
	 * @param nodeId its Netron id
	 * @param address {@code host:port} of its endpoint (no scheme or path)
	 * @param services what it offers
	 * @param timestamp its last registration, milliseconds since the epoch
	 */
	public NodeInfo {
		services = List.copyOf(services);
	}

}
