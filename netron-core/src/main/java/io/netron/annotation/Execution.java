package io.netron.annotation;

/**
 * Where a {@link Public} member of a {@link NetronService} runs when a peer calls it, reads it or
 * writes it: on the node's workers (the safe choice for code that may block), or on the thread
 * that received the request (the fastest, for code that never blocks). Set on a method or a
 * property field with {@link Public#execution()}, or for every member of a service with
 * {@link NetronService#execution()}; a member's own setting wins.
 *
 * <p>The same choice as gRPC's {@code directExecutor()} for non-blocking handlers, WebFlux's rule
 * that handlers returning reactive types run on the event loop, and Quarkus' {@code @NonBlocking}.
 */
public enum Execution {

	/**
	 * The service's setting, and for a service: decided by the member. Methods returning a
	 * {@code CompletionStage} (such as {@code CompletableFuture}), a {@code Flow.Publisher}, a Reactive
	 * Streams {@code Publisher} (such as Reactor's {@code Mono} and {@code Flux}) or a Netron stream run
	 * {@link #INLINE}: they promise an answer later rather than wait for it. Every other method, and
	 * properties read or written through a getter or setter, run on a {@link #WORKER}; properties
	 * backed by a field alone run {@link #INLINE}.
	 */
	DEFAULT,

	/**
	 * On the node's workers: the member may block (a database query, a blocking call to another
	 * service) without holding up the other requests of its connection.
	 */
	WORKER,

	/**
	 * On the thread that received the request (the WebSocket container's or client's I/O thread),
	 * with no hand-off: the member must not block, or every other request of the connection waits.
	 * A blocking call through a typed proxy from such a member fails at once instead of deadlocking.
	 */
	INLINE

}
