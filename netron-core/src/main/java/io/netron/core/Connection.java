package io.netron.core;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

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
	 * Queues a WebSocket ping (the peer's WebSocket stack answers it with a pong by itself).
	 * Transports without pings do nothing.
	 */
	default void sendPing() {
	}

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

	/** {@return the remote IP address (without port), to tell hosts apart} */
	default String remoteHost() {
		return remoteAddress();
	}

	/**
	 * Who opened the connection, as the handshake authenticated it (the servlet request's user
	 * principal, which Spring Security sets to the {@code Authentication}).
	 * @return the principal, or {@code null} for an unauthenticated or outgoing connection
	 */
	default @Nullable Principal principal() {
		return null;
	}

}
