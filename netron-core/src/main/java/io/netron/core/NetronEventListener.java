package io.netron.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Receives an event's arguments: a local event of the node, or a remote peer's event this node
 * subscribed to.
 */
@FunctionalInterface
public interface NetronEventListener {

	/**
	 * Handles one emission.
	 * @param args the event's arguments
	 * @throws Exception anything; it is logged and the other listeners still run
	 */
	void onEvent(List<@Nullable Object> args) throws Exception;

}
