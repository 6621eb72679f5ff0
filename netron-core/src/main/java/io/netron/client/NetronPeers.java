package io.netron.client;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netron.NetronException;
import io.netron.core.Failures;
import io.netron.core.Netron;
import io.netron.core.RemotePeer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers configured by name ({@code netron.peers.<name>.url}), connected on first use (or
 * at startup when eager). A connection once made reconnects by itself; a peer that cannot be
 * reached fails calls at once with a {@link NetronException} naming it and its URL.
 */
public class NetronPeers {

	private static final Logger logger = LoggerFactory.getLogger(NetronPeers.class);

	private final Netron netron;

	private final Map<String, PeerSettings> settings;

	private final Map<String, CompletableFuture<RemotePeer>> connections = new ConcurrentHashMap<>();

	private final java.util.Set<String> failed = ConcurrentHashMap.newKeySet();

	/**
	 * The configured peers of a node.
	 * @param netron the node
	 * @param settings the peers
	 */
	public NetronPeers(Netron netron, Collection<PeerSettings> settings) {
		this.netron = netron;
		Map<String, PeerSettings> byName = new LinkedHashMap<>();
		settings.forEach((peer) -> byName.put(peer.name(), peer));
		this.settings = Map.copyOf(byName);
	}

	/** {@return the configured peers by name} */
	public Map<String, PeerSettings> settings() {
		return this.settings;
	}

	/**
	 * The settings of a configured peer.
	 * @param name the peer's name
	 * @return its settings
	 */
	public PeerSettings settings(String name) {
		PeerSettings peer = this.settings.get(name);
		if (peer == null) {
			throw new NetronException("Unknown Netron peer '" + name + "': set netron.peers." + name + ".url");
		}
		return peer;
	}

	/**
	 * The connected peer, connecting first if needed (at most the connect timeout).
	 * @param name the peer's name
	 * @return the connected peer
	 * @throws NetronException naming the peer and its URL when it cannot be reached
	 */
	public RemotePeer peer(String name) {
		CompletableFuture<RemotePeer> connection = connect(name);
		try {
			return connection.get(this.netron.options().connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw unreachable(name, ex.getCause());
		}
		catch (TimeoutException ex) {
			throw unreachable(name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unreachable(name, ex);
		}
	}

	/**
	 * The connected peer, asynchronously.
	 * @param name the peer's name
	 * @return the connected peer
	 */
	public CompletableFuture<RemotePeer> connect(String name) {
		PeerSettings peer = settings(name);
		return this.connections.compute(name, (key, existing) -> {
			if (existing != null && !existing.isCompletedExceptionally()
					&& (!existing.isDone() || !existing.join().isClosed())) {
				return existing;
			}
			return this.netron.connect(peer.url(), peer.connectOptions());
		}).exceptionallyCompose((failure) -> {
			this.failed.add(name);
			this.connections.computeIfPresent(name, (key, current) -> current.isCompletedExceptionally() ? null : current);
			return CompletableFuture.failedFuture(unreachable(name, failure));
		});
	}

	/**
	 * Whether a connection to the peer was ever attempted.
	 * @param name the peer's name
	 * @return whether a connection was attempted
	 */
	public boolean attempted(String name) {
		return this.connections.containsKey(name) || this.failed.contains(name);
	}

	/** {@return the state of each configured peer: connected or not (never connects)} */
	public Map<String, @Nullable RemotePeer> current() {
		Map<String, @Nullable RemotePeer> result = new LinkedHashMap<>();
		for (String name : this.settings.keySet()) {
			CompletableFuture<RemotePeer> connection = this.connections.get(name);
			result.put(name, (connection != null && connection.isDone() && !connection.isCompletedExceptionally())
					? connection.join() : null);
		}
		return result;
	}

	/**
	 * Starts connecting to every eager peer; failures are logged (the peer is retried on use).
	 * @param wait how long each connection may take
	 */
	public void connectEager(Duration wait) {
		for (PeerSettings peer : this.settings.values()) {
			if (peer.eager()) {
				try {
					connect(peer.name()).get(wait.toMillis(), TimeUnit.MILLISECONDS);
					logger.info("Connected to Netron peer '{}' at {}", peer.name(), peer.url());
				}
				catch (Exception ex) {
					logger.warn("Netron peer '{}' at {} is not reachable yet: {}", peer.name(), peer.url(),
							rootMessage(ex));
				}
			}
		}
	}

	private NetronException unreachable(String name, @Nullable Throwable failure) {
		Throwable cause = (failure != null) ? Failures.unwrap(failure) : null;
		if (cause instanceof NetronException netron && netron.getMessage() != null
				&& netron.getMessage().startsWith("Netron peer '")) {
			return netron;
		}
		return new NetronException("Netron peer '" + name + "' (" + settings(name).url() + ") is unreachable: "
				+ ((cause != null) ? rootMessage(cause) : "unknown failure"), cause);
	}

	private static String rootMessage(Throwable failure) {
		Throwable cause = Failures.unwrap(failure);
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

}
