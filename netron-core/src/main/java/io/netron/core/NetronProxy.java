package io.netron.core;

/**
 * Implemented by every typed proxy of a remote service: gives access to the dynamic
 * {@link RemoteService} behind it (to release it, or pass it back to its owner).
 *
 * <p>A proxy whose interface extends {@link AutoCloseable} releases its service on
 * {@code close()}, so a sub-service can live in a try-with-resources block.
 */
public interface NetronProxy {

	/**
	 * The remote service this proxy calls.
	 * @return the dynamic service behind the proxy
	 */
	RemoteService remoteService();

	/**
	 * Releases a sub-service obtained from a proxy or a {@link RemoteService}: one line instead of
	 * {@code ((NetronProxy) child).remoteService().peer().releaseInterface(child)}. Waits at most
	 * the peer's request timeout for the peer to hear of it.
	 * @param service a typed proxy or a {@link RemoteService}
	 * @throws io.netron.NetronException "Invalid interface" for anything else, or a service already released
	 */
	static void release(Object service) {
		RemoteService remote = (service instanceof NetronProxy proxy) ? proxy.remoteService()
				: (service instanceof RemoteService dynamic) ? dynamic : null;
		if (remote == null) {
			throw new io.netron.NetronException("Invalid interface: " + service + " is not a Netron service");
		}
		try {
			remote.peer().releaseInterface(service).get(remote.peer().requestTimeout().toMillis(),
					java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
			// released here; the peer lets the object go when it hears of it or when the connection closes
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
