package io.netron.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netron.NetronException;
import io.netron.protocol.Definition;
import io.netron.protocol.PacketType;
import io.netron.protocol.Reference;
import io.netron.protocol.ServiceMetadata;
import io.netron.protocol.StreamReference;
import io.netron.stream.NetronReadableStream;
import io.netron.stream.NetronWritableStream;
import io.netron.stream.StreamAdapters;

import org.jspecify.annotations.Nullable;

/**
 * A service of a remote peer, called dynamically: {@code call}, {@code get} and {@code set}
 * return futures that complete off the transport's threads. Results that are services come
 * back as {@code RemoteService}s (sub-services); release them with
 * {@link RemotePeer#releaseInterface(Object)} when done. Obtain typed proxies with
 * {@link #as(Class)}.
 */
public final class RemoteService {

	private final RemotePeer peer;

	private final @Nullable String qualifiedName;

	/** The definition and the peer's service generation it was resolved in, replaced together. */
	private volatile Resolved resolved;

	private volatile boolean released;

	RemoteService(RemotePeer peer, Definition definition, @Nullable String qualifiedName, long generation) {
		this.peer = peer;
		this.resolved = new Resolved(definition, generation);
		this.qualifiedName = qualifiedName;
		this.createdOnLink = peer.linkSerial();
	}

	/** The connection (its serial) this service was handed out on: a sub-service lives only as long. */
	private final long createdOnLink;

	/** Whether this is a sub-service whose connection is gone (the peer reconnected or restarted since). */
	private boolean lostWithItsConnection() {
		return this.qualifiedName == null
				&& (this.resolved.generation() != this.peer.generation() || this.createdOnLink != this.peer.linkSerial());
	}

	private SubServiceLostException lost() {
		Definition definition = this.resolved.definition();
		return new SubServiceLostException("Sub-service " + definition.meta().qualifiedName() + " (definition "
				+ definition.id() + ") of peer " + this.peer.id() + " was lost with the connection that handed it"
				+ " out: the peer reconnected or restarted since. Ask the service that returned it for a new one");
	}

	/** {@return the peer that serves this service} */
	public RemotePeer peer() {
		return this.peer;
	}

	/** {@return the current definition (re-resolved by name after a reconnect for top-level services)} */
	public Definition definition() {
		return this.resolved.definition();
	}

	/** {@return what the service offers} */
	public ServiceMetadata metadata() {
		return this.resolved.definition().meta();
	}

	/** {@return whether this reference was released; a released service refuses every use with "Invalid interface"} */
	public boolean isReleased() {
		return this.released;
	}

	void markReleased() {
		this.released = true;
	}

	/**
	 * Calls a method.
	 * @param method the method's name
	 * @param args the arguments (streams, publishers and services of this peer are sent by reference)
	 * @return the result, a {@code RemoteService} for a sub-service and a stream for a stream
	 */
	public CompletableFuture<@Nullable Object> call(String method, @Nullable Object... args) {
		return this.peer.afterResponse(invokeRaw(method, args));
	}

	/**
	 * Reads a property.
	 * @param property the property's name
	 * @return its value
	 */
	public CompletableFuture<@Nullable Object> get(String property) {
		return this.peer.afterResponse(getRaw(property));
	}

	/**
	 * Writes a property; refused here for readonly properties (and by the serving node too).
	 * @param property the property's name
	 * @param value the new value
	 * @return completes once the peer wrote it
	 */
	public CompletableFuture<Void> set(String property, @Nullable Object value) {
		return this.peer.deliver(setRaw(property, value), (ignored) -> null);
	}

	/**
	 * A typed proxy of this service.
	 * @param <T> the interface type
	 * @param type the interface whose methods call the service's
	 * @return the proxy; it also implements {@link NetronProxy}
	 */
	public <T> T as(Class<T> type) {
		return RemoteServiceProxy.create(this, type);
	}

	CompletableFuture<@Nullable Object> invokeRaw(String method, @Nullable Object[] args) {
		return retryingOnNewConnection(() -> invokeOnce(method, args));
	}

	CompletableFuture<@Nullable Object> getRaw(String property) {
		return retryingOnNewConnection(() -> getOnce(property));
	}

	CompletableFuture<@Nullable Object> setRaw(String property, @Nullable Object value) {
		return retryingOnNewConnection(() -> setOnce(property, value));
	}

	/**
	 * Sends a request; when the peer answers "Unknown definition" for a definition resolved on an
	 * earlier connection (the peer restarted and its ids changed, and the request was not
	 * executed), waits for the new connection's services, re-resolves by name and sends once more.
	 */
	private CompletableFuture<@Nullable Object> retryingOnNewConnection(
			java.util.function.Supplier<CompletableFuture<@Nullable Object>> send) {
		long resolvedGeneration = this.resolved.generation();
		CompletableFuture<@Nullable Object> first = send.get();
		if (this.qualifiedName == null) {
			// sent while the peer was coming back: its answer is a stale definition, for the sub-service is gone
			return RemotePeer.cancelling(first.exceptionallyCompose((failure) -> {
				Throwable cause = Failures.unwrap(failure);
				boolean stale = cause instanceof RemoteInvocationException remote && remote.isStaleDefinition();
				return CompletableFuture.failedFuture((stale && lostWithItsConnection()) ? lost() : cause);
			}), first);
		}
		return RemotePeer.cancelling(first.exceptionallyCompose((failure) -> {
			Throwable cause = Failures.unwrap(failure);
			if (!(cause instanceof RemoteInvocationException remote) || !remote.isStaleDefinition()) {
				return CompletableFuture.failedFuture(cause);
			}
			return this.peer.servicesRefreshedAfter(resolvedGeneration)
				.orTimeout(this.peer.connectTimeoutMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
				.handle((refreshed, timeout) -> (timeout == null) ? send.get()
						: CompletableFuture.<@Nullable Object>failedFuture(cause))
				.thenCompose(java.util.function.Function.identity());
		}), first);
	}

	/**
	 * Runs {@code send} once the service was looked up again: a Titan-generation peer came back on a
	 * new connection, and its definitions are not known until asked for.
	 */
	private CompletableFuture<@Nullable Object> whenResolved(
			java.util.function.Function<Resolved, CompletableFuture<@Nullable Object>> send) {
		long current = this.peer.generation();
		return this.peer.definitionByNameAsync(this.qualifiedName).thenCompose((definition) -> {
			Resolved fresh = new Resolved(definition, current);
			this.resolved = fresh;
			return send.apply(fresh);
		});
	}

	private CompletableFuture<@Nullable Object> invokeOnce(String method, @Nullable Object[] args) {
		Resolved now;
		try {
			now = checkUsable();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		// no lambda on the usual path: the definition is known
		return (now != null) ? invokeOnce(now, method, args) : whenResolved((resolved) -> invokeOnce(resolved, method, args));
	}

	private CompletableFuture<@Nullable Object> invokeOnce(Resolved resolved, String method, @Nullable Object[] args) {
		Definition current;
		List<@Nullable Object> data = new ArrayList<>(args.length + 2);
		List<Long> streams = new ArrayList<>(0);
		try {
			current = resolved.definition();
			if (!current.meta().methods().containsKey(method) && listsMembers(current)) {
				throw unknownMember(current, method, true);
			}
			data.add(current.id());
			data.add(method);
			for (Object arg : args) {
				Object value = toArgument(arg);
				if (value instanceof StreamReference reference && reference.type() == StreamReference.StreamType.WRITABLE) {
					streams.add(reference.streamId());
				}
				data.add(value);
			}
		}
		catch (NetronException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<@Nullable Object> result = this.peer.sendRequest(PacketType.CALL, data,
				current.meta().qualifiedName() + "." + method, resolved.generation());
		// the call is queued: the streams it carries may start writing
		streams.forEach(this.peer.streams()::start);
		return result;
	}

	/**
	 * "Unknown member: 'x' is not defined in the service interface", with the service and what it
	 * offers; a property used as a method (or the other way round) is told as such.
	 */
	static UnknownServiceException unknownMember(Definition definition, String member, boolean asMethod) {
		ServiceMetadata meta = definition.meta();
		String service = meta.qualifiedName();
		if (asMethod && meta.properties().containsKey(member)) {
			return new UnknownServiceException("Unknown member: '" + member + "' is a property of " + service
					+ ", not a method: read it with get (on a @NetronClient interface, declare it with @NetronProperty)");
		}
		if (!asMethod && meta.methods().containsKey(member)) {
			return new UnknownServiceException("Unknown member: '" + member + "' is a method of " + service
					+ ", not a property: call it");
		}
		return new UnknownServiceException("Unknown member: '" + member + "' is not defined in the service interface of "
				+ service + " (methods: " + names(meta.methods().keySet()) + "; properties: "
				+ names(meta.properties().keySet()) + ")");
	}

	private static String names(java.util.Set<String> names) {
		return names.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(names));
	}

	/**
	 * Whether the definition lists the service's members, so that a member it lacks is refused here;
	 * one listing none comes from a node that does not describe its services (a Titan node over HTTP,
	 * whose API description is closed), which then says itself whether the member exists.
	 */
	private static boolean listsMembers(Definition definition) {
		return !definition.meta().methods().isEmpty() || !definition.meta().properties().isEmpty();
	}

	private CompletableFuture<@Nullable Object> getOnce(String property) {
		Resolved now;
		try {
			now = checkUsable();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return (now != null) ? getOnce(now, property) : whenResolved((resolved) -> getOnce(resolved, property));
	}

	private CompletableFuture<@Nullable Object> getOnce(Resolved resolved, String property) {
		Definition current;
		try {
			current = resolved.definition();
			if (!current.meta().properties().containsKey(property) && listsMembers(current)) {
				throw unknownMember(current, property, false);
			}
		}
		catch (NetronException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		List<@Nullable Object> data = new ArrayList<>(2);
		data.add(current.id());
		data.add(property);
		return this.peer.sendRequest(PacketType.GET, data, current.meta().qualifiedName() + "." + property,
				resolved.generation());
	}

	private CompletableFuture<@Nullable Object> setOnce(String property, @Nullable Object value) {
		Resolved now;
		try {
			now = checkUsable();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return (now != null) ? setOnce(now, property, value)
				: whenResolved((resolved) -> setOnce(resolved, property, value));
	}

	private CompletableFuture<@Nullable Object> setOnce(Resolved resolved, String property, @Nullable Object value) {
		try {
			Definition current = resolved.definition();
			ServiceMetadata.PropertyInfo info = current.meta().properties().get(property);
			if (info == null && listsMembers(current)) {
				throw unknownMember(current, property, false);
			}
			if (info != null && info.readonly()) {
				throw new NetronException("Property is not writable: '" + property + "' is marked as readonly");
			}
			List<@Nullable Object> data = new ArrayList<>(3);
			data.add(current.id());
			data.add(property);
			data.add(toArgument(value));
			return this.peer.sendRequest(PacketType.SET, data, current.meta().qualifiedName() + "." + property,
					resolved.generation());
		}
		catch (NetronException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * The definition to use now; {@code null} when a Titan-generation peer reconnected and the
	 * service must be looked up again ({@link #whenResolved}).
	 */
	private @Nullable Resolved checkUsable() {
		if (this.released) {
			throw new NetronException("Invalid interface: " + describe() + " was released");
		}
		Resolved last = this.resolved;
		long current = this.peer.generation();
		if (lostWithItsConnection()) {
			throw lost();
		}
		if (last.generation() != current && this.qualifiedName != null) {
			// the peer reconnected: definition ids may have changed, so look the service up again
			CompletableFuture<Definition> again = this.peer.definitionByNameAsync(this.qualifiedName);
			if (!again.isDone()) {
				return null;
			}
			try {
				last = new Resolved(again.join(), current);
			}
			catch (java.util.concurrent.CompletionException ex) {
				throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
			}
			this.resolved = last;
		}
		return last;
	}

	/** {@link #checkUsable()}, waiting for a lookup when one is needed (a service passed as an argument). */
	private Resolved usableNow() {
		Resolved resolved = checkUsable();
		if (resolved != null) {
			return resolved;
		}
		try {
			Resolved fresh = new Resolved(this.peer.definitionByNameAsync(this.qualifiedName).join(), this.peer.generation());
			this.resolved = fresh;
			return fresh;
		}
		catch (java.util.concurrent.CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
	}

	/** A definition and the peer's service generation it belongs to. */
	private record Resolved(Definition definition, long generation) {
	}

	private @Nullable Object toArgument(@Nullable Object arg) {
		RemoteService service = (arg instanceof NetronProxy proxy) ? proxy.remoteService()
				: (arg instanceof RemoteService remote) ? remote : null;
		if (service != null) {
			if (service.peer != this.peer) {
				throw new NetronException("Cannot pass " + service.describe() + " to peer " + this.peer.id()
						+ ": services travel by reference only back to the peer that owns them");
			}
			return new Reference(service.usableNow().definition().id());
		}
		Object stream = StreamAdapters.asOutgoing(arg);
		if (stream instanceof NetronWritableStream<?> writer) {
			// the sender's own id: the receiver binds the stream to the calling connection anyway
			return this.peer.streams().bind(writer, this.peer.netronId());
		}
		if (stream instanceof NetronReadableStream<?> reader) {
			return this.peer.streams().bind(reader, this.peer.netronId());
		}
		if (arg != null && ServiceDescriptor.isService(arg.getClass())) {
			throw new NetronException("Unsupported value type: Direct service exposure is not yet implemented ("
					+ arg.getClass().getName() + " passed as an argument)");
		}
		return arg;
	}

	String describe() {
		return this.resolved.definition().meta().qualifiedName() + " on peer " + this.peer.id();
	}

	@Override
	public String toString() {
		return "RemoteService[" + describe() + "]";
	}

}
