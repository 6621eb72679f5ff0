package io.netron.client;

import io.netron.core.RemotePeer;

/**
 * Chooses the peer that serves a {@code @NetronClient} without a configured peer (service
 * discovery implements it).
 */
public interface ServiceRouter {

	/**
	 * A connected peer offering the service ({@code name}, {@code name@version} or
	 * {@code name@range}), spreading calls over the peers that offer it.
	 * @param service the qualified name or range
	 * @return the peer to call
	 * @throws io.netron.NetronException when no reachable peer offers it
	 */
	RemotePeer route(String service);

	/**
	 * A call could not be sent to {@code peer}: prefer others until it comes back.
	 * @param service the service
	 * @param peer the peer that could not be reached
	 */
	void unreachable(String service, RemotePeer peer);

}
