package io.netron.observation;

import io.micrometer.observation.Observation;

import org.jspecify.annotations.Nullable;

/**
 * The context of a {@code netron.streams} observation: one stream between this node and a peer,
 * from the moment it is bound to a connection until it ends, fails or is cancelled.
 */
public class NetronStreamObservationContext extends Observation.Context {

	private final boolean reading;

	private final String peerId;

	private long chunks;

	private @Nullable String errorName;

	/**
	 * A context for one stream.
	 * @param reading whether this node reads the stream (else it writes it)
	 * @param peerId the node id of the peer on the other side
	 */
	public NetronStreamObservationContext(boolean reading, String peerId) {
		this.reading = reading;
		this.peerId = peerId;
	}

	/** {@return whether this node reads the stream (else it writes it)} */
	public boolean isReading() {
		return this.reading;
	}

	/** {@return the node id of the peer on the other side} */
	public String getPeerId() {
		return this.peerId;
	}

	/** {@return the chunks delivered or sent, once it ended} */
	public long getChunks() {
		return this.chunks;
	}

	/** {@return the failure's class name, {@code null} when it did not fail} */
	public @Nullable String getErrorName() {
		return this.errorName;
	}

	/**
	 * Records how the stream ended.
	 * @param chunks the chunks delivered or sent
	 * @param errorName the failure's class name, {@code null} when it did not fail
	 */
	public void setEnd(long chunks, @Nullable String errorName) {
		this.chunks = chunks;
		this.errorName = errorName;
	}

}
