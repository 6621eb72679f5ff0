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
 * @param keyPrefix the registry's keys: {@code netron:discovery} (seed-era TypeScript nodes) or
 *        {@code titan:discovery} (Titan nodes); the heartbeat key holds {@code "1"} under the seed's
 *        prefix and the registration's timestamp under any other, as Titan writes it
 */
public record DiscoveryOptions(Duration heartbeatInterval, Duration heartbeatTtl, boolean pubSubEnabled,
		String pubSubChannel, boolean heartbeatEvents, String keyPrefix) {

	/** The seed-era TypeScript Netron's registry. */
	public static final String DEFAULT_KEY_PREFIX = "netron:discovery";

	/** The Titan generation's registry ({@code @omnitron-dev/titan-discovery}). */
	public static final String TITAN_KEY_PREFIX = "titan:discovery";

	/**
	 * Checks the options.
	 * @param heartbeatInterval how often the node re-registers
	 * @param heartbeatTtl how long an entry lives without a heartbeat
	 * @param pubSubEnabled whether registry events are published and followed
	 * @param pubSubChannel the events channel
	 * @param heartbeatEvents whether every heartbeat publishes a {@code NODE_UPDATED} event
	 * @param keyPrefix the registry's keys, without a trailing colon
	 */
	public DiscoveryOptions {
		if (keyPrefix.isEmpty() || keyPrefix.endsWith(":")) {
			throw new IllegalArgumentException("Discovery key prefix '" + keyPrefix
					+ "' must be non-empty and without a trailing ':' (such as netron:discovery or titan:discovery)");
		}
	}

	/**
	 * Options on the seed's keys.
	 * @param heartbeatInterval how often the node re-registers
	 * @param heartbeatTtl how long an entry lives without a heartbeat
	 * @param pubSubEnabled whether registry events are published and followed
	 * @param pubSubChannel the events channel
	 * @param heartbeatEvents whether every heartbeat publishes a {@code NODE_UPDATED} event
	 */
	public DiscoveryOptions(Duration heartbeatInterval, Duration heartbeatTtl, boolean pubSubEnabled,
			String pubSubChannel, boolean heartbeatEvents) {
		this(heartbeatInterval, heartbeatTtl, pubSubEnabled, pubSubChannel, heartbeatEvents, DEFAULT_KEY_PREFIX);
	}

	/** {@return the events channel of a registry prefix: {@code <prefix>:events}} */
	static String channelOf(String keyPrefix) {
		return keyPrefix + ":events";
	}

	/**
	 * A copy on another registry, with that registry's events channel ({@code <prefix>:events}).
	 * @param keyPrefix the registry's keys, such as {@code titan:discovery}
	 * @return the copy
	 */
	public DiscoveryOptions withKeyPrefix(String keyPrefix) {
		return new DiscoveryOptions(this.heartbeatInterval, this.heartbeatTtl, this.pubSubEnabled, channelOf(keyPrefix),
				this.heartbeatEvents, keyPrefix);
	}

	/** {@return whether the heartbeat key holds {@code "1"}, as the seed's script writes it} */
	boolean seedHeartbeatValue() {
		return DEFAULT_KEY_PREFIX.equals(this.keyPrefix);
	}

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
