package io.netron.core;

/**
 * Implemented by every typed proxy of a remote service: gives access to the dynamic
 * {@link RemoteService} behind it (to release it, or pass it back to its owner).
 */
public interface NetronProxy {

	/** The remote service this proxy calls. */
	RemoteService remoteService();

}
