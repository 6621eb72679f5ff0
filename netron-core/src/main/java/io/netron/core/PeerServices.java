package io.netron.core;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.netron.NetronException;
import io.netron.protocol.Definition;
import io.netron.protocol.StreamReference;
import io.netron.stream.NetronReadableStream;
import io.netron.stream.NetronWritableStream;
import io.netron.stream.StreamAdapters;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one remote peer as this node sees them: the top-level services it offers (by
 * qualified name), the definitions it handed out (sub-services included), and the
 * {@link RemoteService}s callers hold, counted so that the last release tells the peer.
 */
final class PeerServices {

	private static final Logger logger = LoggerFactory.getLogger(PeerServices.class);

	private final RemotePeer peer;

	private final Map<String, Definition> services = new ConcurrentHashMap<>();

	private final Map<String, Definition> definitions = new ConcurrentHashMap<>();

	private final Map<String, InterfaceRef> interfaces = new ConcurrentHashMap<>();

	PeerServices(RemotePeer peer) {
		this.peer = peer;
	}

	Set<String> names() {
		return Set.copyOf(this.services.keySet());
	}

	Map<String, Definition> byName() {
		return Map.copyOf(this.services);
	}

	boolean offers(String qualifiedName) {
		return this.services.containsKey(qualifiedName);
	}

	/** The services an {@code abilities} answer lists replace those of the previous connection. */
	void replaceOffered(Map<?, ?> offeredServices) {
		Map<String, Definition> offered = new LinkedHashMap<>();
		offeredServices.forEach((name, definition) -> {
			if (name instanceof String qualifiedName && definition instanceof Definition def) {
				offered.put(qualifiedName, def);
			}
		});
		this.services.keySet().retainAll(offered.keySet());
		this.services.putAll(offered);
		offered.values().forEach((definition) -> this.definitions.put(definition.id(), definition));
	}

	/** A {@code service:expose} or {@code service:unexpose} event of the peer. */
	void onServiceEvent(List<@Nullable Object> args, boolean exposed) {
		if (args.isEmpty() || !(args.get(0) instanceof Map<?, ?> event) || !(event.get("qualifiedName") instanceof String name)) {
			return;
		}
		if (exposed && event.get("definition") instanceof Definition definition) {
			this.definitions.put(definition.id(), definition);
			this.services.put(name, definition);
		}
		else if (!exposed) {
			Definition removed = this.services.remove(name);
			if (removed != null && event.get("defId") instanceof String defId && !this.interfaces.containsKey(defId)) {
				this.definitions.remove(defId);
			}
		}
	}

	/** Forgets the services (by name) matching a glob pattern, or all of them; returns how many. */
	int invalidate(@Nullable String pattern) {
		int removed = 0;
		for (String name : List.copyOf(this.services.keySet())) {
			if (pattern == null || matches(name, pattern)) {
				if (this.services.remove(name) != null) {
					removed++;
				}
			}
		}
		return removed;
	}

	/** Titan's patterns: the exact name, or {@code *} standing for any characters. */
	private static boolean matches(String name, String pattern) {
		if (pattern.indexOf('*') < 0) {
			return name.equals(pattern);
		}
		String regex = java.util.Arrays.stream(pattern.split("\\*", -1))
			.map(java.util.regex.Pattern::quote)
			.collect(java.util.stream.Collectors.joining(".*"));
		return name.matches(regex);
	}

	/** "Unknown service: name." with the peer and what it offers (the first 20 names, in order). */
	private UnknownServiceException unknownService(String qualifiedName) {
		java.util.List<String> offered = new java.util.ArrayList<>(new java.util.TreeSet<>(this.services.keySet()));
		String list = offered.isEmpty() ? "no services"
				: String.join(", ", offered.subList(0, Math.min(20, offered.size())))
						+ ((offered.size() > 20) ? " and " + (offered.size() - 20) + " more" : "");
		return new UnknownServiceException(
				"Unknown service: " + qualifiedName + ". (" + this.peer.describe() + " offers " + list + ")");
	}

	RemoteService query(String qualifiedName) {
		String key = VersionResolver.resolve(this.services, qualifiedName);
		if (key == null) {
			if (!this.peer.dialect().listsServices()) {
				// a Titan peer lists nothing: ask it now
				try {
					return queryAsync(qualifiedName).join();
				}
				catch (java.util.concurrent.CompletionException ex) {
					throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
				}
			}
			throw unknownService(qualifiedName);
		}
		return query(this.services.get(key), key);
	}

	/** {@link #query} without blocking: a service the peer did not list is looked up with {@code query_interface}. */
	CompletableFuture<RemoteService> queryAsync(String qualifiedName) {
		String key = VersionResolver.resolve(this.services, qualifiedName);
		if (key != null) {
			return CompletableFuture.completedFuture(query(this.services.get(key), key));
		}
		if (this.peer.dialect().listsServices()) {
			return CompletableFuture.failedFuture(unknownService(qualifiedName));
		}
		return lookup(qualifiedName).thenApply((definition) -> query(definition, definition.meta().qualifiedName()));
	}

	/**
	 * Asks the peer for a service's definition with {@code query_interface} (Titan generation) and
	 * keeps it. A semver range is not understood by Titan's lookup: the highest version is asked for
	 * and checked against the range.
	 */
	CompletableFuture<Definition> lookup(String qualifiedName) {
		int at = qualifiedName.indexOf('@');
		String version = (at < 0) ? "" : qualifiedName.substring(at + 1);
		boolean exact = at < 0 || version.matches("\\d+\\.\\d+\\.\\d+([-+].*)?");
		String asked = exact ? qualifiedName : qualifiedName.substring(0, at);
		return this.peer.task("query_interface", asked).handle((reply, failure) -> {
			if (failure != null) {
				Throwable cause = Failures.unwrap(failure);
				if (cause instanceof RemoteInvocationException remote && remote.remoteCode() == Refusal.NOT_FOUND) {
					throw new UnknownServiceException("Unknown service: " + qualifiedName + ". (" + this.peer.describe()
							+ " answered: " + remote.remoteMessage() + ")");
				}
				throw (cause instanceof RuntimeException runtime) ? runtime : new NetronException(cause.toString(), cause);
			}
			if (!(reply instanceof Definition definition)) {
				throw new io.netron.protocol.ProtocolException(
						"query_interface answered " + reply + " instead of a Definition");
			}
			if (!exact && VersionResolver.resolve(Map.of(definition.meta().qualifiedName(), definition),
					qualifiedName) == null) {
				throw new UnknownServiceException("Unknown service: " + qualifiedName + ". (" + this.peer.describe()
						+ " offers " + definition.meta().qualifiedName() + " as its highest version)");
			}
			this.definitions.put(definition.id(), definition);
			this.services.put(definition.meta().qualifiedName(), definition);
			return definition;
		});
	}

	private RemoteService query(Definition definition, @Nullable String qualifiedName) {
		InterfaceRef ref = this.interfaces.compute(definition.id(), (defId, existing) -> {
			if (existing != null && !existing.service().isReleased()) {
				existing.count++;
				return existing;
			}
			return new InterfaceRef(new RemoteService(this.peer, definition, qualifiedName, this.peer.generation()));
		});
		return ref.service();
	}

	/** {@return the definition with this id, {@code null} when the peer handed out none such} */
	@Nullable Definition definition(String defId) {
		return this.definitions.get(defId);
	}

	Definition byName(String qualifiedName) {
		Definition definition = this.services.get(qualifiedName);
		if (definition == null) {
			throw new UnknownServiceException("Unknown service: " + qualifiedName + ".");
		}
		return definition;
	}

	CompletableFuture<Void> release(Object service) {
		RemoteService remote = (service instanceof NetronProxy proxy) ? proxy.remoteService()
				: (service instanceof RemoteService rs) ? rs : null;
		if (remote == null || remote.peer() != this.peer || remote.isReleased()) {
			throw new NetronException("Invalid interface");
		}
		return release(remote, new HashSet<>());
	}

	private CompletableFuture<Void> release(RemoteService service, Set<String> released) {
		String defId = service.definition().id();
		if (!released.add(defId)) {
			return CompletableFuture.completedFuture(null);
		}
		InterfaceRef ref = this.interfaces.get(defId);
		if (ref == null || ref.service() != service) {
			throw new NetronException("Invalid interface");
		}
		synchronized (ref) {
			if (--ref.count > 0) {
				return CompletableFuture.completedFuture(null);
			}
		}
		this.interfaces.remove(defId, ref);
		service.markReleased();
		List<CompletableFuture<Void>> steps = new ArrayList<>();
		for (InterfaceRef child : List.copyOf(this.interfaces.values())) {
			if (child.service().definition().parentId().equals(defId)) {
				steps.add(release(child.service(), released));
			}
		}
		if (!this.services.containsValue(service.definition())) {
			this.definitions.remove(defId);
		}
		if (this.peer.isConnected()) {
			steps.add(this.peer.task("unref_service", defId).handle((ignored, failure) -> {
				if (failure != null) {
					logger.debug("unref_service {} on {} failed: {}", defId, this.peer.describe(), failure.toString());
				}
				return null;
			}));
		}
		return CompletableFuture.allOf(steps.toArray(new CompletableFuture<?>[0]));
	}

	/** A service this peer exposed into this node: a relay target, not reference-counted. */
	RemoteService registerExposed(Definition definition) {
		this.definitions.put(definition.id(), definition);
		return new RemoteService(this.peer, definition, null, this.peer.generation());
	}

	void forget(String defId) {
		this.definitions.remove(defId);
	}

	/** Results as callers see them: a definition becomes a (counted) sub-service, a stream reference a stream. */
	@Nullable Object processResult(@Nullable Object value) {
		if (value instanceof StreamReference reference) {
			return this.peer.streams().open(reference);
		}
		if (value instanceof Definition definition) {
			this.definitions.putIfAbsent(definition.id(), definition);
			Definition stored = this.definitions.get(definition.id());
			String qualifiedName = this.services.containsValue(stored) ? stored.meta().qualifiedName() : null;
			return query(stored, qualifiedName);
		}
		return value;
	}

	/** A result converted to the type a proxy method declares. */
	@Nullable Object fromWire(@Nullable Object value, Type declared) {
		Object processed = processResult(value);
		if (processed instanceof NetronReadableStream<?> || processed instanceof NetronWritableStream<?>) {
			return StreamAdapters.adapt(processed, declared, this.peer.converter());
		}
		if (processed instanceof RemoteService service) {
			if (declared instanceof Class<?> type && type.isInterface() && !type.getName().startsWith("java.")) {
				return service.as(type);
			}
			return service;
		}
		return this.peer.converter().convert(processed, declared);
	}

	/** A remote service and the references callers hold to it. */
	private static final class InterfaceRef {

		private final RemoteService service;

		int count = 1;

		InterfaceRef(RemoteService service) {
			this.service = service;
		}

		RemoteService service() {
			return this.service;
		}

	}

}
