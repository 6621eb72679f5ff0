package io.netron.discovery;

import java.time.Duration;

/**
 * How a node takes part in discovery.
 *
 * @param heartbeatInterval how often the node re-registers
 * @param heartbeatTtl how long an entry lives without a heartbeat
 * @param pubSubEnabled whether registry events are published and followed
 * @param pubSubChannel the events channel
 * @param heartbeatEvents whether every heartbeat publishes a {@code NODE_UPDATED} event, as TypeScript
 *        nodes do; otherwise only registrations, changes (services, address, a registration that was
 *        lost and is back) and deregistrations do, which keeps a large registry's events channel quiet
 */
public record DiscoveryOptions(Duration heartbeatInterval, Duration heartbeatTtl, boolean pubSubEnabled,
		String pubSubChannel, boolean heartbeatEvents) {

	/**
	 * Options whose heartbeats publish no event unless something changed.
	 * @param heartbeatInterval how often the node re-registers
	 * @param heartbeatTtl how long an entry lives without a heartbeat
	 * @param pubSubEnabled whether registry events are published and followed
	 * @param pubSubChannel the events channel
	 */
	public DiscoveryOptions(Duration heartbeatInterval, Duration heartbeatTtl, boolean pubSubEnabled,
			String pubSubChannel) {
		this(heartbeatInterval, heartbeatTtl, pubSubEnabled, pubSubChannel, false);
	}

	/** The TypeScript Netron's channel. */
	public static final String DEFAULT_CHANNEL = "netron:discovery:events";

	/** {@return 5 s heartbeats, 15 s TTL, pub/sub on the default channel, events on changes only} */
	public static DiscoveryOptions defaults() {
		return new DiscoveryOptions(Duration.ofSeconds(5), Duration.ofSeconds(15), true, DEFAULT_CHANNEL);
	}

}
