package io.netron.autoconfigure;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netron.core.Netron;
import io.netron.core.RemotePeer;
import io.netron.discovery.ServiceDiscovery;

import org.jspecify.annotations.Nullable;

/**
 * The node's meters, read when the registry asks: {@code netron.connections} (tag
 * {@code direction}: inbound, outbound), {@code netron.requests.active} (requests being served),
 * {@code netron.requests.awaited} (requests sent and not answered yet), {@code netron.workers.threads},
 * {@code netron.workers.queued}, {@code netron.streams.open}, {@code netron.reconnect.attempts},
 * {@code netron.events.emitted}, and, with discovery, {@code netron.discovery.heartbeats} (tag
 * {@code outcome}: success, failure) and {@code netron.discovery.nodes}.
 * The timers of requests come from the observations ({@code netron.server.requests},
 * {@code netron.client.requests}).
 */
public class NetronMeterBinder implements MeterBinder {

	private final Netron netron;

	private final @Nullable ServiceDiscovery discovery;

	/**
	 * Meters of a node.
	 * @param netron the node
	 * @param discovery its discovery, {@code null} when it is off
	 */
	public NetronMeterBinder(Netron netron, @Nullable ServiceDiscovery discovery) {
		this.netron = netron;
		this.discovery = discovery;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("netron.connections", this.netron, (node) -> connections(node, false))
			.tag("direction", "inbound")
			.description("Connections peers opened to this node")
			.register(registry);
		Gauge.builder("netron.connections", this.netron, (node) -> connections(node, true))
			.tag("direction", "outbound")
			.description("Connections this node opened to peers")
			.register(registry);
		Gauge.builder("netron.requests.active", this.netron, Netron::requestsInFlight)
			.description("Requests this node is serving")
			.register(registry);
		Gauge.builder("netron.requests.awaited", this.netron, sum(RemotePeer::requestsAwaited))
			.description("Requests this node sent and waits for")
			.register(registry);
		Gauge.builder("netron.workers.threads", this.netron, Netron::workerThreads)
			.description("Threads of the worker pool that runs service methods")
			.register(registry);
		Gauge.builder("netron.workers.queued", this.netron, Netron::queuedWork)
			.description("Requests waiting for a worker")
			.register(registry);
		Gauge.builder("netron.streams.open", this.netron, sum(RemotePeer::openStreams))
			.description("Streams open with peers, reading and writing")
			.register(registry);
		FunctionCounter.builder("netron.reconnect.attempts", this.netron, Netron::reconnectAttempts)
			.description("Attempts to bring back lost connections to peers")
			.register(registry);
		FunctionCounter.builder("netron.events.emitted", this.netron, Netron::eventsEmitted)
			.description("Events emitted on this node, its own and its peers'")
			.register(registry);
		ServiceDiscovery discovery = this.discovery;
		if (discovery != null) {
			FunctionCounter.builder("netron.discovery.heartbeats", discovery, ServiceDiscovery::heartbeats)
				.tag("outcome", "success")
				.description("Heartbeats that registered this node in Redis")
				.register(registry);
			FunctionCounter.builder("netron.discovery.heartbeats", discovery, ServiceDiscovery::failedHeartbeats)
				.tag("outcome", "failure")
				.description("Heartbeats that failed after all their attempts")
				.register(registry);
			Gauge.builder("netron.discovery.nodes", discovery, (seen) -> (seen.nodesSeen() >= 0) ? seen.nodesSeen() : Double.NaN)
				.description("Alive nodes the registry listed when it was last read")
				.register(registry);
		}
	}

	private static double connections(Netron netron, boolean outgoing) {
		int count = 0;
		for (RemotePeer peer : netron.peers()) {
			if (peer.isOutgoing() == outgoing && peer.isConnected()) {
				count++;
			}
		}
		return count;
	}

	private static ToDoubleFunction<Netron> sum(java.util.function.ToIntFunction<RemotePeer> what) {
		return (netron) -> {
			int total = 0;
			for (RemotePeer peer : netron.peers()) {
				total += what.applyAsInt(peer);
			}
			return total;
		};
	}

}
