package io.netron.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A task a remote peer may run on this node by name ({@code TASK [name, ...args]}). The result
 * may be a {@link java.util.concurrent.CompletionStage}, which is awaited.
 */
@FunctionalInterface
public interface Task {

	/**
	 * Runs the task for a peer.
	 * @param peer the peer that asked
	 * @param args the arguments as decoded
	 * @return the result sent back
	 * @throws Exception any failure, sent back as an error
	 */
	@Nullable Object run(RemotePeer peer, List<@Nullable Object> args) throws Exception;

}
