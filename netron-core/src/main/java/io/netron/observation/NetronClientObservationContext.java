package io.netron.observation;

import io.netron.protocol.PacketType;

import org.jspecify.annotations.Nullable;

/**
 * The context of a {@code netron.client.requests} observation: a request this node sends.
 */
public class NetronClientObservationContext extends NetronRequestObservationContext {

	/**
	 * A context for one request sent.
	 * @param type {@code CALL}, {@code GET}, {@code SET} or {@code TASK}
	 * @param service the service's qualified name, {@code null} for a task
	 * @param member the method or property, or the task's name
	 * @param peerId the called peer's node id
	 */
	public NetronClientObservationContext(PacketType type, @Nullable String service, String member, String peerId) {
		super(type, service, member, peerId);
	}

}
