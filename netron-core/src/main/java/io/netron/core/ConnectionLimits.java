package io.netron.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What the node lets connections hold, so that no client can lock others out.
 *
 * @param maxConnections the most peer connections the node accepts at once; beyond it an
 * upgrade is refused with 503 (the rest of the application stays reachable)
 * @param maxConnectionsPerAddress the most connections from one remote IP address, 0 for no limit
 * @param maxRequestsInFlight the most requests one connection may have waiting or being served;
 * beyond it a request is answered at once with an {@code OverloadedError}
 * @param pingInterval how often a WebSocket ping goes to a peer that sent nothing meanwhile
 * (TypeScript's {@code ws}, browsers and the JDK client answer pings by themselves); zero for none
 * @param idleTimeout how long a connection may stay silent (no frame, not even a pong) before it
 * is closed (code 1000, reason "idle timeout") and its callers fail; zero for never
 * @param maxBufferedBytes the bytes all connections together may make the node hold for what they
 * sent (frames being assembled, requests decoded and waiting for their answer): see {@link MemoryBudget}
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerAddress, int maxRequestsInFlight,
		Duration pingInterval, Duration idleTimeout, long maxBufferedBytes) {

	/**
	 * Checks the limits.
	 * @param maxConnections the most peer connections at once
	 * @param maxConnectionsPerAddress the most connections from one address, 0 for no limit
	 * @param maxRequestsInFlight the most requests in flight on one connection
	 * @param pingInterval how often a silent peer is pinged, zero for never
	 * @param idleTimeout how long a connection may stay silent, zero for ever
	 * @param maxBufferedBytes the bytes all connections together may make the node hold
	 */
	public ConnectionLimits {
		if (maxBufferedBytes <= 0) {
			throw new IllegalArgumentException("maxBufferedBytes must be positive, but was " + maxBufferedBytes);
		}
		if (maxConnections <= 0 || maxRequestsInFlight <= 0 || maxConnectionsPerAddress < 0) {
			throw new IllegalArgumentException("maxConnections and maxRequestsInFlight must be positive, "
					+ "maxConnectionsPerAddress 0 (no limit) or more");
		}
		Objects.requireNonNull(pingInterval, "pingInterval");
		Objects.requireNonNull(idleTimeout, "idleTimeout");
		if (pingInterval.isNegative() || idleTimeout.isNegative()) {
			throw new IllegalArgumentException("pingInterval and idleTimeout must not be negative");
		}
		if (!idleTimeout.isZero() && !pingInterval.isZero() && idleTimeout.compareTo(pingInterval) <= 0) {
			throw new IllegalArgumentException("idleTimeout (" + idleTimeout + ") must be longer than pingInterval ("
					+ pingInterval + "), or a peer that answers every ping would still be closed");
		}
	}

	/**
	 * Limits whose node-wide memory budget is the default, an eighth of the heap.
	 * @param maxConnections the most peer connections at once
	 * @param maxConnectionsPerAddress the most connections from one address, 0 for no limit
	 * @param maxRequestsInFlight the most requests in flight on one connection
	 * @param pingInterval how often a silent peer is pinged, zero for never
	 * @param idleTimeout how long a connection may stay silent, zero for ever
	 */
	public ConnectionLimits(int maxConnections, int maxConnectionsPerAddress, int maxRequestsInFlight,
			Duration pingInterval, Duration idleTimeout) {
		this(maxConnections, maxConnectionsPerAddress, maxRequestsInFlight, pingInterval, idleTimeout,
				MemoryBudget.defaultLimit());
	}

	/**
	 * The defaults: 4,096 connections (half of Tomcat's 8,192, so the application stays
	 * reachable), no limit per address, 4,096 requests in flight per connection, a ping every 20 s,
	 * 60 s of silence at most, and an eighth of the heap for what peers make the node hold.
	 * @return the defaults
	 */
	public static ConnectionLimits defaults() {
		return new ConnectionLimits(4096, 0, 4096, Duration.ofSeconds(20), Duration.ofSeconds(60));
	}

	/**
	 * These limits with another node-wide memory budget.
	 * @param maxBufferedBytes the bytes all connections together may make the node hold
	 * @return the new limits
	 */
	public ConnectionLimits withMaxBufferedBytes(long maxBufferedBytes) {
		return new ConnectionLimits(this.maxConnections, this.maxConnectionsPerAddress, this.maxRequestsInFlight,
				this.pingInterval, this.idleTimeout, maxBufferedBytes);
	}

}
