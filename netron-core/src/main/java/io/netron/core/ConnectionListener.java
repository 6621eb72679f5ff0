package io.netron.core;

/**
 * What the transport tells the engine about one connection. Calls for one connection come one
 * at a time, in order, on a transport thread; implementations do not block it.
 */
public interface ConnectionListener {

	/** The connection is open; called before any message. */
	default void onOpen(Connection connection) {
	}

	/** A complete binary message arrived. */
	void onBinary(byte[] frame);

	/** A complete text message arrived. */
	void onText(String text);

	/** The connection closed (1006 when it was lost without a close frame). */
	void onClose(int code, String reason);

}
