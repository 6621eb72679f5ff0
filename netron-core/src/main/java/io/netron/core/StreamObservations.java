package io.netron.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.Observation;
import io.netron.observation.NetronStreamObservationContext;
import io.netron.stream.StreamRegistry;

import org.jspecify.annotations.Nullable;

/**
 * Observes the streams of one peer ({@code netron.streams}): an observation from the moment a
 * stream is bound to the connection until it ends, fails or is cancelled, with the chunks it carried.
 */
final class StreamObservations implements StreamRegistry.Listener {

	private final Netron netron;

	private final RemotePeer peer;

	/** Open observations by stream id and direction (ids of both directions come from different nodes). */
	private final Map<Long, Observation> open = new ConcurrentHashMap<>();

	StreamObservations(Netron netron, RemotePeer peer) {
		this.netron = netron;
		this.peer = peer;
	}

	@Override
	public void opened(long streamId, boolean reading) {
		Observation observation = this.netron.observeStream(reading, this.peer.id());
		if (!observation.isNoop()) {
			Observation replaced = this.open.put(key(streamId, reading), observation);
			if (replaced != null) {
				// a peer reused a stream id (a reference sent twice): the earlier stream is gone from the registry
				replaced.stop();
			}
		}
	}

	@Override
	public void closed(long streamId, boolean reading, long chunks, @Nullable Throwable failure) {
		Observation observation = this.open.remove(key(streamId, reading));
		if (observation == null) {
			return;
		}
		if (observation.getContext() instanceof NetronStreamObservationContext context) {
			context.setEnd(chunks, (failure != null) ? failure.getClass().getSimpleName() : null);
		}
		if (failure != null) {
			observation.error(failure);
		}
		observation.stop();
	}

	private static long key(long streamId, boolean reading) {
		return (streamId << 1) | (reading ? 1 : 0);
	}

}
