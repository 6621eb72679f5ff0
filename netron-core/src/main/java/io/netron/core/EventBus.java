package io.netron.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's event emitter. Listeners are keyed so that the same listener registered twice is
 * called once; emissions wait for asynchronous listeners (remote forwarders wait for the
 * subscriber's acknowledgement). Special events (peer and service lifecycle) are delivered in
 * order per key, each bounded by a timeout, as the TypeScript Netron does.
 */
final class EventBus {

	private static final Logger logger = LoggerFactory.getLogger(EventBus.class);

	private static final long SPECIAL_EVENT_TIMEOUT_MILLIS = 5000;

	/** Failing listeners: a peer emitting at will must not flood the log. */
	private final LogThrottle listenerFailures = new LogThrottle(java.time.Duration.ofSeconds(1));

	private final Map<String, CopyOnWriteArrayList<Entry>> listeners = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<Void>> specialChains = new ConcurrentHashMap<>();

	private final Executor executor;

	private final ScheduledExecutorService scheduler;

	EventBus(Executor executor, ScheduledExecutorService scheduler) {
		this.executor = executor;
		this.scheduler = scheduler;
	}

	/** Adds a listener unless one with the same key is registered for the event; returns whether it was added. */
	boolean on(String event, Object key, Function<List<@Nullable Object>, @Nullable CompletionStage<?>> listener) {
		boolean[] added = new boolean[1];
		// atomic with off(), which drops a list it empties
		this.listeners.compute(event, (name, entries) -> {
			CopyOnWriteArrayList<Entry> list = (entries != null) ? entries : new CopyOnWriteArrayList<>();
			added[0] = list.addIfAbsent(new Entry(key, listener));
			return list;
		});
		return added[0];
	}

	/**
	 * Removes the listener registered under {@code key}, and the event's entry with its last
	 * listener (names subscribed once must not be held for good); returns whether there was one.
	 */
	boolean off(String event, Object key) {
		boolean[] removed = new boolean[1];
		this.listeners.computeIfPresent(event, (name, entries) -> {
			removed[0] = entries.removeIf((entry) -> entry.key() == key);
			return entries.isEmpty() ? null : entries;
		});
		return removed[0];
	}

	/** {@return how many event names have listeners} */
	int eventsListenedTo() {
		return this.listeners.size();
	}

	private final java.util.concurrent.atomic.AtomicLong emitted = new java.util.concurrent.atomic.AtomicLong();

	/** {@return the events emitted on this node, in all} */
	long emitted() {
		return this.emitted.get();
	}

	/** Calls every listener and completes when all have, asynchronous ones included; failures are logged. */
	CompletableFuture<Void> emit(String event, List<@Nullable Object> args) {
		this.emitted.incrementAndGet();
		CopyOnWriteArrayList<Entry> entries = this.listeners.get(event);
		if (entries == null || entries.isEmpty()) {
			return CompletableFuture.completedFuture(null);
		}
		List<CompletableFuture<?>> pending = new ArrayList<>();
		for (Entry entry : entries) {
			try {
				CompletionStage<?> stage = entry.listener().apply(args);
				if (stage != null) {
					pending.add(stage.toCompletableFuture().exceptionally((failure) -> {
						Throwable cause = Failures.unwrap(failure);
						if (cause instanceof PeerDisconnectedException) {
							// a subscriber that went away: its subscription is dropped with it
							logger.debug("Listener of event '{}' failed: {}", LogText.of(event), cause.toString());
						}
						else {
							int heldBack = this.listenerFailures.admit();
							if (heldBack >= 0) {
								logger.warn("Listener of event '{}' failed: {}{}", LogText.of(event), cause.toString(),
										LogThrottle.more(heldBack, "listener failures"));
							}
						}
						return null;
					}));
				}
			}
			catch (RuntimeException ex) {
				int heldBack = this.listenerFailures.admit();
				if (heldBack >= 0) {
					logger.warn("Listener of event '{}' failed{}", LogText.of(event),
							LogThrottle.more(heldBack, "listener failures"), ex);
				}
			}
		}
		return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
	}

	/**
	 * Emits on the executor after every earlier special event with the same key was delivered
	 * (or timed out after 5 s).
	 */
	CompletableFuture<Void> emitSpecial(String event, String key, Object payload) {
		this.emitted.incrementAndGet();
		CompletableFuture<Void> done = new CompletableFuture<>();
		CompletableFuture<Void> previous = this.specialChains.put(key, done);
		Runnable deliver = () -> {
			try {
				this.executor.execute(() -> {
					CompletableFuture<Void> emission = emit(event, List.of(payload));
					emission.whenComplete((ignored, failure) -> done.complete(null));
					if (!emission.isDone()) {
						this.scheduler.schedule(() -> {
							if (!emission.isDone()) {
								logger.warn("Event emit error: Emit timeout for event: {}", event);
								done.complete(null);
							}
						}, SPECIAL_EVENT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				// the node is shutting down
				done.complete(null);
			}
		};
		if (previous == null || previous.isDone()) {
			deliver.run();
		}
		else {
			previous.whenComplete((ignored, failure) -> deliver.run());
		}
		done.whenComplete((ignored, failure) -> this.specialChains.remove(key, done));
		return done;
	}

	private record Entry(Object key, Function<List<@Nullable Object>, @Nullable CompletionStage<?>> listener) {

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof Entry that && this.key == that.key;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.key);
		}

	}

}
