package io.netron.core;

/**
 * One WebSocket connection to a peer, as the transport provides it. Implementations never
 * block the caller: frames are queued and written in order, and a peer that cannot keep up is
 * disconnected.
 */
public interface Connection {

	/**
	 * Queues a binary frame.
	 * @param frame the frame
	 */
	void send(byte[] frame);

	/**
	 * Queues a text frame (used only for the handshake).
	 * @param text the frame
	 */
	void sendText(String text);

	/**
	 * Closes the connection with a WebSocket close code and reason.
	 * @param code the close code
	 * @param reason the reason
	 */
	void close(int code, String reason);

	/** {@return whether the connection is open} */
	boolean isOpen();

	/**
	 * Bytes queued and not yet written (stream writers wait while there are many).
	 * @return the bytes queued to send
	 */
	default long bufferedBytes() {
		return 0;
	}

	/** {@return the remote address, for messages and logs} */
	String remoteAddress();

}
