package io.netron.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events between this node and one peer: this node's listeners of the peer's events (one
 * {@code subscribe} task per event name, renewed after a reconnect), and the peer's
 * subscriptions to this node's events (forwarded with the {@code emit} task).
 */
final class PeerEvents {

	private static final Logger logger = LoggerFactory.getLogger(PeerEvents.class);

	private final LogThrottle listenerFailures = new LogThrottle(java.time.Duration.ofSeconds(1));

	private final RemotePeer peer;

	private final Netron netron;

	private final Map<String, CopyOnWriteArrayList<NetronEventListener>> listeners = new ConcurrentHashMap<>();

	private final Map<String, Object> remoteSubscriptions = new ConcurrentHashMap<>();

	private final NetronEventListener serviceExposed;

	private final NetronEventListener serviceUnexposed;

	PeerEvents(RemotePeer peer, Netron netron, PeerServices services) {
		this.peer = peer;
		this.netron = netron;
		this.serviceExposed = (args) -> services.onServiceEvent(args, true);
		this.serviceUnexposed = (args) -> services.onServiceEvent(args, false);
	}

	CompletableFuture<Void> subscribe(String event, NetronEventListener listener) {
		boolean first;
		synchronized (this.listeners) {
			CopyOnWriteArrayList<NetronEventListener> ofEvent = this.listeners.computeIfAbsent(event,
					(name) -> new CopyOnWriteArrayList<>());
			if (ofEvent.contains(listener)) {
				return CompletableFuture.completedFuture(null);
			}
			first = ofEvent.isEmpty();
			ofEvent.add(listener);
		}
		return first ? this.peer.task("subscribe", event).thenApply((ignored) -> null)
				: CompletableFuture.completedFuture(null);
	}

	CompletableFuture<Void> unsubscribe(String event, NetronEventListener listener) {
		synchronized (this.listeners) {
			CopyOnWriteArrayList<NetronEventListener> ofEvent = this.listeners.get(event);
			if (ofEvent == null || !ofEvent.remove(listener)) {
				return CompletableFuture.completedFuture(null);
			}
			if (!ofEvent.isEmpty()) {
				return CompletableFuture.completedFuture(null);
			}
			this.listeners.remove(event);
		}
		return this.peer.isConnected() ? this.peer.task("unsubscribe", event).thenApply((ignored) -> null)
				: CompletableFuture.completedFuture(null);
	}

	/** The {@code emit} task: the peer delivers one of its events to this node's listeners. */
	void deliver(String event, List<@Nullable Object> args) {
		CopyOnWriteArrayList<NetronEventListener> ofEvent = this.listeners.get(event);
		if (ofEvent == null) {
			return;
		}
		for (NetronEventListener listener : ofEvent) {
			try {
				listener.onEvent(args);
			}
			catch (Exception ex) {
				// the peer emits at will: a line a second at most
				int heldBack = this.listenerFailures.admit();
				if (heldBack >= 0) {
					logger.warn("Listener of event '{}' from {} failed{}", LogText.of(event), this.peer.describe(),
							LogThrottle.more(heldBack, "listener failures"), ex);
				}
			}
		}
	}

	/** The {@code subscribe} task: forward this node's events of that name to the peer. */
	void addRemoteSubscription(String event) {
		Object key = new Object();
		if (this.remoteSubscriptions.putIfAbsent(event, key) == null) {
			this.netron.events().on(event, key, (args) -> {
				List<@Nullable Object> taskArgs = new ArrayList<>(args.size() + 1);
				taskArgs.add(event);
				taskArgs.addAll(args);
				return this.peer.isConnected() ? this.peer.task("emit", taskArgs.toArray()) : null;
			});
		}
	}

	/** The {@code unsubscribe} task. */
	void removeRemoteSubscription(String event) {
		Object key = this.remoteSubscriptions.remove(event);
		if (key != null) {
			this.netron.events().off(event, key);
		}
	}

	/** The connection went: the peer's subscriptions go with it. */
	void removeRemoteSubscriptions() {
		for (String event : List.copyOf(this.remoteSubscriptions.keySet())) {
			removeRemoteSubscription(event);
		}
	}

	/** Follows the peer's service events when it allows them ({@code allowServiceEvents} in its abilities). */
	void followServiceEvents(boolean allowed) {
		if (allowed) {
			addListener(NetronEvents.SERVICE_EXPOSE, this.serviceExposed);
			addListener(NetronEvents.SERVICE_UNEXPOSE, this.serviceUnexposed);
		}
		else {
			removeListener(NetronEvents.SERVICE_EXPOSE, this.serviceExposed);
			removeListener(NetronEvents.SERVICE_UNEXPOSE, this.serviceUnexposed);
		}
	}

	private void addListener(String event, NetronEventListener listener) {
		this.listeners.computeIfAbsent(event, (name) -> new CopyOnWriteArrayList<>()).addIfAbsent(listener);
	}

	private void removeListener(String event, NetronEventListener listener) {
		CopyOnWriteArrayList<NetronEventListener> ofEvent = this.listeners.get(event);
		if (ofEvent != null) {
			ofEvent.remove(listener);
			if (ofEvent.isEmpty()) {
				this.listeners.remove(event, ofEvent);
			}
		}
	}

	/** Sends {@code subscribe} for every event name with listeners, service events first, in order. */
	CompletableFuture<Void> resubscribe() {
		CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
		List<String> events = new ArrayList<>(this.listeners.keySet());
		events.sort((a, b) -> Integer.compare(rank(a), rank(b)));
		for (String event : events) {
			chain = chain.thenCompose((ignored) -> this.peer.task("subscribe", event).thenApply((done) -> null));
		}
		return chain;
	}

	private static int rank(String event) {
		return NetronEvents.SERVICE_EXPOSE.equals(event) ? 0 : NetronEvents.SERVICE_UNEXPOSE.equals(event) ? 1 : 2;
	}

}
