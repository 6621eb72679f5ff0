package io.netron.core;

import org.jspecify.annotations.Nullable;

/**
 * What the transport tells the engine about one connection. Calls for one connection come one
 * at a time, in order, on a transport thread; implementations do not block it.
 */
public interface ConnectionListener {

	/**
	 * The connection is open; called before any message.
	 * @param connection the connection
	 */
	default void onOpen(Connection connection) {
	}

	/**
	 * A complete binary message arrived.
	 * @param frame the whole frame
	 */
	void onBinary(byte[] frame);

	/**
	 * A complete text message arrived.
	 * @param text the whole frame
	 */
	void onText(String text);

	/** A pong (or a ping) arrived: the peer is alive even if it sends nothing else. */
	default void onPong() {
	}

	/**
	 * The connection closed (1006 when it was lost without a close frame).
	 * @param code the close code
	 * @param reason the reason, {@code ""} when none
	 */
	void onClose(int code, String reason);

	/**
	 * The transport gave up on the connection and is closing it (a peer that cannot keep up): the
	 * engine lets go of it at once; {@link #onClose} follows once the transport has closed it.
	 * @param code the close code the transport is closing with
	 * @param reason why
	 */
	default void lost(int code, String reason) {
		onClose(code, reason);
	}

	/**
	 * What the connection holds of the node's memory budget: the transport draws the bytes of the
	 * frames it assembles from it, and refuses a frame the budget has no room for.
	 * @return the account; {@code null} when nothing is accounted
	 */
	default MemoryBudget.@Nullable Account memory() {
		return null;
	}

	/** {@return a listener that ignores everything (for connections refused or only held open)} */
	static ConnectionListener ignoring() {
		return Ignoring.INSTANCE;
	}

	/** The listener that ignores everything. */
	enum Ignoring implements ConnectionListener {

		/** The only one. */
		INSTANCE;

		@Override
		public void onBinary(byte[] frame) {
		}

		@Override
		public void onText(String text) {
		}

		@Override
		public void onClose(int code, String reason) {
		}

	}

}
