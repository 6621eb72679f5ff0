package io.netron.core;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import io.netron.protocol.Packet;
import io.netron.stream.StreamTransport;

import org.jspecify.annotations.Nullable;

/**
 * How a peer's streams reach the wire: packets go out on the peer's current connection, chunk
 * packet ids come from the node's counter, and delivery runs on the node's workers.
 */
final class PeerStreamTransport implements StreamTransport {

	private final RemotePeer peer;

	private final Netron netron;

	PeerStreamTransport(RemotePeer peer, Netron netron) {
		this.peer = peer;
		this.netron = netron;
	}

	@Override
	public String describe() {
		return this.peer.describe();
	}

	@Override
	public boolean isConnected() {
		return this.peer.isConnected();
	}

	private Connection connection() {
		Connection connection = this.peer.connection();
		if (connection == null || !connection.isOpen()) {
			throw new PeerDisconnectedException(this.peer.describe() + " is not connected");
		}
		return connection;
	}

	@Override
	public void sendChunk(long streamId, long index, @Nullable Object data, boolean endOfStream, boolean live) {
		Connection connection = connection();
		connection.send(this.netron.codec()
			.encode(Packet.streamChunk(this.netron.packetIds().next(), streamId, index, data, endOfStream, live)));
	}

	@Override
	public void sendError(long streamId, String message) {
		// STREAM_ERROR {streamId, message} to a seed-era peer, STREAM_CLOSE {streamId, reason} to a Titan one
		connection().send(this.netron.codec()
			.encode(this.peer.dialect().streamFailure(this.netron.packetIds().next(), streamId, message)));
	}

	@Override
	public boolean streamsAreLive() {
		return this.peer.dialect().generation() == ProtocolGeneration.TITAN;
	}

	@Override
	public long bufferedBytes() {
		Connection connection = this.peer.connection();
		return (connection != null) ? connection.bufferedBytes() : 0;
	}

	@Override
	public Executor executor() {
		return this.netron.workers();
	}

	/** With direct callbacks, chunks reach subscribers on the thread that read them, with no hand-off. */
	@Override
	public Executor deliveryExecutor() {
		return this.netron.options().directCallbacks() ? Runnable::run : this.netron.workers();
	}

	@Override
	public ScheduledExecutorService scheduler() {
		return this.netron.scheduler();
	}

}
