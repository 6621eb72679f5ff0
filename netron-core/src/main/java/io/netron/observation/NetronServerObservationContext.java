package io.netron.observation;

import io.netron.protocol.PacketType;

import org.jspecify.annotations.Nullable;

/**
 * The context of a {@code netron.server.requests} observation: a request this node serves.
 */
public class NetronServerObservationContext extends NetronRequestObservationContext {

	/**
	 * A context for one served request.
	 * @param type {@code CALL}, {@code GET}, {@code SET} or {@code TASK}
	 * @param service the service's qualified name, {@code null} for a task
	 * @param member the method or property, or the task's name
	 * @param peerId the calling peer's node id
	 */
	public NetronServerObservationContext(PacketType type, @Nullable String service, String member, String peerId) {
		super(type, service, member, peerId);
	}

}
