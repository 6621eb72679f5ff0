package io.netron.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netron.core.Netron;
import io.netron.core.NetronEventListener;
import io.netron.core.RemotePeer;
import org.jspecify.annotations.Nullable;

/**
 * Records the emissions of one event, for assertions: those a node emits (listened to on the node
 * itself) or those a peer sends to this node (subscribed to through the peer). Close it to stop
 * recording.
 *
 * <pre>{@code
 * try (NetronEventRecorder placed = NetronEventRecorder.on(netron, "orders:placed")) {
 *   orders.place("tea");
 *   assertThat(placed.awaitCount(1, Duration.ofSeconds(5))).containsExactly(List.of(orderId, "tea"));
 * }
 * }</pre>
 */
public final class NetronEventRecorder implements AutoCloseable {

	private final String event;

	private final List<List<@Nullable Object>> emissions = new ArrayList<>();

	private final NetronEventListener listener = this::record;

	private @Nullable AutoCloseable stop;

	private NetronEventRecorder(String event) {
		this.event = event;
	}

	/**
	 * Records what a node emits (its own listeners see it as peers do).
	 * @param netron the node
	 * @param event the event name
	 * @return the recorder
	 */
	public static NetronEventRecorder on(Netron netron, String event) {
		NetronEventRecorder recorder = new NetronEventRecorder(event);
		recorder.stop = netron.on(event, recorder.listener);
		return recorder;
	}

	/**
	 * Records what a peer emits, subscribing to it (waits for the peer to confirm the subscription).
	 * @param peer the peer
	 * @param event the event name
	 * @param timeout how long the subscription may take
	 * @return the recorder
	 */
	public static NetronEventRecorder subscribe(RemotePeer peer, String event, Duration timeout) {
		NetronEventRecorder recorder = new NetronEventRecorder(event);
		try {
			peer.subscribe(event, recorder.listener).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while subscribing to '" + event + "'", ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot subscribe to '" + event + "' of " + peer + ": " + ex, ex);
		}
		recorder.stop = () -> peer.unsubscribe(event, recorder.listener);
		return recorder;
	}

	private synchronized void record(List<@Nullable Object> args) {
		this.emissions.add(copy(args));
		notifyAll();
	}

	private static List<@Nullable Object> copy(List<@Nullable Object> args) {
		return java.util.Collections.unmodifiableList(new ArrayList<>(args));
	}

	/** {@return the emissions recorded so far, each as its arguments, in the order they arrived} */
	public synchronized List<List<@Nullable Object>> emissions() {
		return List.copyOf(this.emissions);
	}

	/**
	 * Waits until at least {@code count} emissions were recorded.
	 * @param count how many
	 * @param timeout how long to wait at most
	 * @return the emissions recorded by then
	 * @throws AssertionError naming the event and what arrived when they did not come in time
	 */
	public synchronized List<List<@Nullable Object>> awaitCount(int count, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.emissions.size() < count) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("Expected " + count + " emissions of '" + this.event + "' within " + timeout
						+ ", got " + this.emissions.size() + ": " + this.emissions);
			}
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for '" + this.event + "'", ex);
			}
		}
		return List.copyOf(this.emissions);
	}

	@Override
	public void close() throws Exception {
		AutoCloseable stopping = this.stop;
		if (stopping != null) {
			stopping.close();
		}
	}

}
