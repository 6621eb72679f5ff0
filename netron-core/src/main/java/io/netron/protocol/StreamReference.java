package io.netron.protocol;

/**
 * A stream handed to another peer (extension 107).
 *
 * @param streamId the stream id (uint32, written on the wire as a decimal string)
 * @param type which side the sender holds: {@link StreamType#WRITABLE} means the receiver reads
 * @param live whether the stream is live (no inactivity timeout)
 * @param peerId the id of the node at the other end of the stream
 */
public record StreamReference(long streamId, StreamType type, boolean live, String peerId) {

	/** The kind of stream a reference stands for. */
	public enum StreamType {

		/** A stream the sender reads (wire value 0). */
		READABLE,

		/** A stream the sender writes (wire value 1). */
		WRITABLE

	}

}
