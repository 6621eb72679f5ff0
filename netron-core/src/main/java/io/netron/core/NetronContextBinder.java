package io.netron.core;

/**
 * Binds something of a request's {@link NetronContext} to the thread that serves it, for as long
 * as the service method runs: the Spring Boot auto-configuration binds Spring Security's
 * {@code SecurityContext} this way. Register binders with {@link Netron#addContextBinder}; in a
 * Spring Boot application, declare them as beans.
 */
@FunctionalInterface
public interface NetronContextBinder {

	/**
	 * Binds to the current thread.
	 * @param context the request being served
	 * @return what undoes the binding (closed on the same thread, after the service method)
	 */
	NetronContext.Scope bind(NetronContext context);

}
