package io.netron.core;

import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

import io.netron.protocol.PacketType;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The request a service method is serving: which peer called, from where, as whom, and what it
 * asked for. Bound to the worker thread while the node invokes a service method, property
 * accessor or task, and cleared afterwards; {@link NetronContextBinder}s bind more (Spring
 * Security's {@code SecurityContext}, for one) for the same span.
 * <p>
 * Work a service hands to other threads does not see it unless it is carried over:
 * {@link #wrap(Runnable)} and {@link #wrap(Executor)} do that for this context and everything
 * the binders bind.
 * <pre>{@code
 * @Public
 * public CompletableFuture<String> whoAmI() {
 *     return CompletableFuture.supplyAsync(() -> NetronContext.current().principalName(),
 *             NetronContext.wrap(this.executor));
 * }
 * }</pre>
 */
public final class NetronContext {

	/** The MDC key of the calling peer's id while a request is served. */
	public static final String MDC_PEER_ID = "netron.peer.id";

	/** The MDC key of the request's packet id while a request is served. */
	public static final String MDC_REQUEST_ID = "netron.request.id";

	private static final ThreadLocal<@Nullable NetronContext> CURRENT = new ThreadLocal<>();

	private final String peerId;

	private final String remoteAddress;

	private final @Nullable Principal principal;

	private final PacketType type;

	private final @Nullable String service;

	private final String member;

	private final List<NetronContextBinder> binders;

	private final long requestId;

	/** The thread serving the request inline (on the transport's I/O thread), else {@code null}. */
	private volatile @Nullable Thread inlineThread;

	NetronContext(String peerId, String remoteAddress, @Nullable Principal principal, PacketType type,
			@Nullable String service, String member, List<NetronContextBinder> binders) {
		this(peerId, remoteAddress, principal, type, service, member, binders, 0);
	}

	NetronContext(String peerId, String remoteAddress, @Nullable Principal principal, PacketType type,
			@Nullable String service, String member, List<NetronContextBinder> binders, long requestId) {
		this.requestId = requestId;
		this.peerId = peerId;
		this.remoteAddress = remoteAddress;
		this.principal = principal;
		this.type = type;
		this.service = service;
		this.member = member;
		this.binders = binders;
	}

	/**
	 * The request served on this thread.
	 * @return the context
	 * @throws IllegalStateException when this thread is not serving a Netron request
	 */
	public static NetronContext current() {
		NetronContext context = CURRENT.get();
		if (context == null) {
			throw new IllegalStateException("No Netron request is being served on thread "
					+ Thread.currentThread().getName() + " (use NetronContext.wrap to carry it to other threads)");
		}
		return context;
	}

	/** {@return the request served on this thread, if any} */
	public static Optional<NetronContext> find() {
		return Optional.ofNullable(CURRENT.get());
	}

	/** {@return the calling peer's node id (the {@code id} it connected with)} */
	public String peerId() {
		return this.peerId;
	}

	/** {@return the request's packet id, as the caller numbered it} */
	public long requestId() {
		return this.requestId;
	}

	/** {@return the calling connection's remote address} */
	public String remoteAddress() {
		return this.remoteAddress;
	}

	/**
	 * Who the caller is, as the WebSocket handshake authenticated it: with Spring Security, the
	 * {@code Authentication}.
	 * @return the principal, or {@code null} when the connection was not authenticated
	 */
	public @Nullable Principal principal() {
		return this.principal;
	}

	/** {@return the principal's name, or {@code null} when the connection was not authenticated} */
	public @Nullable String principalName() {
		return (this.principal != null) ? this.principal.getName() : null;
	}

	/** {@return what was asked for: {@code CALL}, {@code GET}, {@code SET} or {@code TASK}} */
	public PacketType type() {
		return this.type;
	}

	/**
	 * The service called.
	 * @return its qualified name ({@code name@version}), or {@code null} for a task
	 */
	public @Nullable String service() {
		return this.service;
	}

	/** {@return the method or property called, or the task's name} */
	public String member() {
		return this.member;
	}

	/** {@return the service and member, such as {@code calculator@1.0.0.add}, or the task's name} */
	public String describeMember() {
		return (this.service != null) ? this.service + "." + this.member : "task " + this.member;
	}

	/** Marks the request as served inline, on the current thread (a transport I/O thread). */
	void servedInlineHere() {
		this.inlineThread = Thread.currentThread();
	}

	/**
	 * {@return whether this thread serves an {@link io.netron.annotation.Execution#INLINE} member}
	 * It is then a transport's I/O thread, which must not wait for an answer it would itself have to
	 * read. Work the member hands to other threads with {@link #wrap} does not count.
	 */
	static boolean isServingInline() {
		NetronContext context = CURRENT.get();
		return context != null && context.inlineThread == Thread.currentThread();
	}

	/**
	 * Binds this context (and whatever the node's binders bind) to the current thread.
	 * @return the binding, to close when the work is done: the previous binding comes back
	 */
	public Scope open() {
		NetronContext previous = CURRENT.get();
		CURRENT.set(this);
		MDC.put(MDC_PEER_ID, this.peerId);
		MDC.put(MDC_REQUEST_ID, Long.toString(this.requestId));
		if (this.binders.isEmpty()) {
			return () -> restore(previous);
		}
		Scope[] bindings = new Scope[this.binders.size()];
		int opened = 0;
		try {
			for (NetronContextBinder binder : this.binders) {
				bindings[opened] = binder.bind(this);
				opened++;
			}
		}
		catch (RuntimeException | Error ex) {
			close(bindings, opened);
			restore(previous);
			throw ex;
		}
		int count = opened;
		return () -> {
			close(bindings, count);
			restore(previous);
		};
	}

	private static void close(Scope[] bindings, int count) {
		for (int i = count - 1; i >= 0; i--) {
			bindings[i].close();
		}
	}

	private static void restore(@Nullable NetronContext previous) {
		if (previous != null) {
			CURRENT.set(previous);
			MDC.put(MDC_PEER_ID, previous.peerId);
			MDC.put(MDC_REQUEST_ID, Long.toString(previous.requestId));
		}
		else {
			CURRENT.remove();
			MDC.remove(MDC_PEER_ID);
			MDC.remove(MDC_REQUEST_ID);
		}
	}

	/**
	 * Carries the current request's context to a task that runs later or elsewhere.
	 * @param task the task
	 * @return a task that runs {@code task} with the context; {@code task} itself when this
	 * thread serves no request
	 */
	public static Runnable wrap(Runnable task) {
		NetronContext context = CURRENT.get();
		return (context != null) ? context.bind(task) : task;
	}

	/**
	 * Carries the current request's context to a task that runs later or elsewhere.
	 * @param task the task
	 * @param <T> the task's result type
	 * @return a task that runs {@code task} with the context; {@code task} itself when this
	 * thread serves no request
	 */
	public static <T> Callable<T> wrap(Callable<T> task) {
		NetronContext context = CURRENT.get();
		if (context == null) {
			return task;
		}
		return () -> {
			try (Scope scope = context.open()) {
				return task.call();
			}
		};
	}

	/**
	 * An executor that runs its tasks with the context of the request being served now.
	 * @param executor the executor that runs the tasks
	 * @return an executor that carries the current context (captured now) to every task
	 */
	public static Executor wrap(Executor executor) {
		NetronContext context = CURRENT.get();
		return (context != null) ? (task) -> executor.execute(context.bind(task)) : executor;
	}

	/** {@return {@code task}, run with this context bound} */
	private Runnable bind(Runnable task) {
		return () -> {
			try (Scope scope = open()) {
				task.run();
			}
		};
	}

	@Override
	public String toString() {
		return "NetronContext[" + this.type + " " + describeMember() + " from " + this.peerId + " ("
				+ this.remoteAddress + ")" + ((this.principal != null) ? " as " + this.principal.getName() : "") + "]";
	}

	/** A binding of a context to a thread, undone by {@link #close()}. */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		/** Restores what the thread had bound before. */
		@Override
		void close();

	}

}
