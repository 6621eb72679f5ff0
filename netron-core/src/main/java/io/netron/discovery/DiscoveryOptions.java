package io.netron.discovery;

import java.time.Duration;

/**
 * How a node takes part in discovery.
 *
 * @param heartbeatInterval how often the node re-registers
 * @param heartbeatTtl how long an entry lives without a heartbeat
 * @param pubSubEnabled whether registry events are published and followed
 * @param pubSubChannel the events channel
 */
public record DiscoveryOptions(Duration heartbeatInterval, Duration heartbeatTtl, boolean pubSubEnabled,
		String pubSubChannel) {

	/** The TypeScript Netron's channel. */
	public static final String DEFAULT_CHANNEL = "netron:discovery:events";

	/** {@return 5 s heartbeats, 15 s TTL, pub/sub on the default channel} */
	public static DiscoveryOptions defaults() {
		return new DiscoveryOptions(Duration.ofSeconds(5), Duration.ofSeconds(15), true, DEFAULT_CHANNEL);
	}

}
