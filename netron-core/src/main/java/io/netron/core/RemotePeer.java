package io.netron.core;

import java.lang.reflect.Type;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.micrometer.observation.Observation;
import io.netron.NetronException;
import io.netron.observation.NetronRequestObservationContext;
import io.netron.observation.NetronRequestObservationContext.Outcome;
import io.netron.protocol.Definition;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketType;
import io.netron.protocol.ProtocolException;
import io.netron.protocol.ValueConverter;
import io.netron.stream.StreamRegistry;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another node this node is connected to, in either direction. Sends requests (calls, property
 * reads and writes, tasks) and serves the peer's requests against the local services.
 *
 * <p>A peer this node connected to ({@link Netron#connect}) survives reconnects: its
 * {@link RemoteService}s and event subscriptions keep working once the connection is back.
 *
 * <p>This class is the face of a peer and the life cycle of its connection; its parts each do
 * one job: {@link PendingRequests} (the requests waiting for answers), {@link IncomingFrames}
 * (serving the peer's requests), {@link PeerServices} (the peer's services and the references
 * held to them), {@link PeerEvents} (subscriptions both ways), {@link Reconnector} (bringing a
 * lost connection back) and {@link PeerLink} (one connection).
 */
public final class RemotePeer {

	private static final Logger logger = LoggerFactory.getLogger(RemotePeer.class);

	private final Netron netron;

	private final @Nullable URI address;

	private final Duration requestTimeout;

	private volatile String id;

	private volatile @Nullable PeerLink link;

	/** Bumped once the peer's services are known on a new connection (proxies re-resolve then). */
	private volatile long generation;

	/** Bumped when a new connection replaces the link. */
	private volatile long linkSerial;

	/** The connection whose services {@link #peerServices} holds. */
	private volatile long servicesLink;

	/** Completes when {@link #generation} moves next. */
	private volatile CompletableFuture<Void> refreshed = new CompletableFuture<>();

	private volatile Map<?, ?> abilities = Map.of();

	/** The dialect of the last connection, for when there is none. */
	private volatile Dialect lastDialect = Dialect.SEED;

	private volatile boolean closed;

	private final PendingRequests pending = new PendingRequests();

	private final StreamRegistry streams;

	private final PeerServices peerServices;

	private final PeerEvents events;

	private final IncomingFrames incoming;

	private final Reconnector reconnector;

	/** Where the callbacks of the answer futures this peer hands out run ({@link AnswerFuture}). */
	private final Executor answerCallbacks;

	/** How this node connects to the peer (peers this node connects to only). */
	private ConnectOptions connectOptions = ConnectOptions.defaults();

	/** A peer that connected to this node. */
	RemotePeer(Netron netron, String id) {
		this(netron, id, null, netron.options().requestTimeout());
	}

	/** A peer this node connects to. */
	RemotePeer(Netron netron, URI address, ConnectOptions connectOptions) {
		this(netron, "", address, (connectOptions.requestTimeout() != null) ? connectOptions.requestTimeout()
				: netron.options().requestTimeout());
		this.connectOptions = connectOptions;
	}

	private RemotePeer(Netron netron, String id, @Nullable URI address, Duration requestTimeout) {
		this.netron = netron;
		this.id = id;
		this.address = address;
		this.requestTimeout = requestTimeout;
		this.streams = new StreamRegistry(new PeerStreamTransport(this, netron), netron.options().streams(),
				netron.streamIds()::next);
		this.streams.setListener(new StreamObservations(netron, this));
		// chunks waiting to be read draw from the node's budget, through the connection they came on
		this.streams.setNodeBudget((bytes) -> {
			MemoryBudget.Account memory = memory();
			return memory == null || memory.take(bytes);
		}, (bytes) -> {
			MemoryBudget.Account memory = memory();
			if (memory != null) {
				memory.give(bytes);
			}
		});
		this.peerServices = new PeerServices(this);
		this.events = new PeerEvents(this, netron, this.peerServices);
		this.incoming = new IncomingFrames(this, netron, this.pending, this.streams);
		this.reconnector = new Reconnector(this, netron);
		this.answerCallbacks = AnswerFuture.callbacksOn(netron.workers());
	}

	/** {@return what the current connection holds of the node's memory budget; {@code null} when not connected} */
	MemoryBudget.@Nullable Account memory() {
		PeerLink current = this.link;
		return (current != null) ? current.memory() : null;
	}

	// ------------------------------------------------------------------ what a peer is

	/** {@return the peer's node id} */
	public String id() {
		return this.id;
	}

	/** {@return how long requests to this peer may take} */
	public Duration requestTimeout() {
		return this.requestTimeout;
	}

	Netron netron() {
		return this.netron;
	}

	ConnectOptions connectOptions() {
		return this.connectOptions;
	}

	/** {@return the id of this node (the local side of the connection)} */
	public String netronId() {
		return this.netron.id();
	}

	/** {@return the address this node connects to, for peers this node connected to} */
	public @Nullable URI address() {
		return this.address;
	}

	/**
	 * Who the peer authenticated as when it opened its current connection to this node.
	 * @return the principal, or {@code null} when it did not authenticate (or this node connected to it)
	 */
	public @Nullable Principal principal() {
		PeerLink current = this.link;
		return (current != null) ? current.principal() : null;
	}

	/** The {@code authenticate} task bound a principal to the current connection. */
	void authenticated(Principal principal) {
		PeerLink current = this.link;
		if (current != null) {
			current.authenticated(principal);
		}
	}

	/**
	 * The {@code invalidate_cache} task: forgets the definitions of the peer's services this node
	 * holds (those matching a {@code *} pattern, or all).
	 * @return how many were forgotten
	 */
	int invalidateCache(@Nullable String pattern) {
		return this.peerServices.invalidate(pattern);
	}

	/** {@return the current connection, {@code null} when there is none} */
	private @Nullable Connection currentConnection() {
		PeerLink current = this.link;
		return (current != null) ? current.connection : null;
	}

	/** {@return the remote IP address of the current connection, {@code null} when not connected} */
	@Nullable String remoteHost() {
		Connection connection = currentConnection();
		return (connection != null) ? connection.remoteHost() : null;
	}

	/** {@return since when the current connection is up, {@code null} when not connected} */
	public @Nullable Instant connectedSince() {
		PeerLink current = this.link;
		return (current != null) ? current.created : null;
	}

	/** {@return the requests of this peer's current connection that this node is serving or has queued} */
	public int requestsBeingServed() {
		PeerLink current = this.link;
		return (current != null) ? current.admitted() : 0;
	}

	/** {@return the requests this node sent to the peer and waits for} */
	public int requestsAwaited() {
		return this.pending.size();
	}

	/** {@return the streams open with this peer, reading and writing} */
	public int openStreams() {
		return this.streams.openStreams();
	}

	/** {@return the remote address of the current connection, {@code null} when not connected} */
	public @Nullable String remoteAddress() {
		Connection connection = currentConnection();
		return (connection != null) ? connection.remoteAddress() : null;
	}

	/** {@return whether this node opened the connection (else the peer connected to this node)} */
	public boolean isOutgoing() {
		return this.address != null;
	}

	/** {@return whether the connection is up} */
	public boolean isConnected() {
		PeerLink current = this.link;
		return current != null && current.isOpen();
	}

	/**
	 * {@return whether this peer is closed for good} It is when this node disconnected it, gave up
	 * on it after the configured reconnect attempts, or lost it while stopping; a closed peer never
	 * reconnects.
	 */
	public boolean isClosed() {
		return this.closed;
	}

	/** {@return the abilities the peer announced ({@code allowServiceEvents}, ...)} */
	public Map<?, ?> abilities() {
		return this.abilities;
	}

	/** {@return the qualified names of the services the peer offers} */
	public Set<String> serviceNames() {
		return this.peerServices.names();
	}

	/** {@return the peer's services by qualified name} */
	public Map<String, Definition> services() {
		return this.peerServices.byName();
	}

	@Override
	public String toString() {
		return "RemotePeer[" + describe() + "]";
	}

	String describe() {
		Connection connection = currentConnection();
		String where = (this.address != null) ? " (" + this.address + ")"
				: (connection != null) ? " (" + connection.remoteAddress() + ")" : "";
		return "peer " + (this.id.isEmpty() ? "?" : this.id) + where;
	}

	// ------------------------------------------------------------------ the peer's services

	/**
	 * The remote service with that name ({@code name}, {@code name@1.2.3} or {@code name@^1.2});
	 * each call adds a reference, released with {@link #releaseInterface(Object)}.
	 * @param qualifiedName the name, with a version or a semver range, or neither (the highest version)
	 * @return the service, to call dynamically
	 * @throws UnknownServiceException "Unknown service: name." when the peer offers none
	 */
	public RemoteService queryInterface(String qualifiedName) {
		return this.peerServices.query(qualifiedName);
	}

	/**
	 * {@link #queryInterface(String)} without blocking: against a Titan-generation peer, which lists
	 * no services, the service is looked up with {@code query_interface} the first time it is asked for.
	 * @param qualifiedName the name, with a version or a semver range, or neither (the highest version)
	 * @return the service; fails with {@link UnknownServiceException} when the peer offers none
	 */
	public CompletableFuture<RemoteService> queryInterfaceAsync(String qualifiedName) {
		return toCaller(this.peerServices.queryAsync(qualifiedName));
	}

	/**
	 * A typed proxy of the remote service with that name.
	 * @param <T> the interface type
	 * @param qualifiedName the name, with a version or a semver range, or neither
	 * @param type the interface whose methods call the service's
	 * @return the proxy; it also implements {@link NetronProxy}
	 * @throws UnknownServiceException "Unknown service: name." when the peer offers none
	 */
	public <T> T queryInterface(String qualifiedName, Class<T> type) {
		return queryInterface(qualifiedName).as(type);
	}

	/**
	 * Drops one reference to a service (a {@link RemoteService} or a typed proxy). The last one
	 * tells the peer with {@code unref_service}, and releases the sub-services it handed out.
	 * @param service a {@link RemoteService} or a typed proxy of this peer
	 * @return completes once the peer was told, when this was the last reference
	 * @throws NetronException "Invalid interface" for something that is not a live service of this peer
	 */
	public CompletableFuture<Void> releaseInterface(Object service) {
		return toCaller(this.peerServices.release(service));
	}

	/**
	 * Exposes a local service object into the peer, which relays its callers' requests here.
	 * @param instance an object of a {@code @NetronService} class
	 * @return the definition the peer gave the service
	 * @throws InvalidServiceException when the peer already offers a service of that name
	 */
	public CompletableFuture<Definition> exposeService(Object instance) {
		ServiceDescriptor descriptor = ServiceDescriptor.forClass(instance.getClass());
		if (this.peerServices.offers(descriptor.qualifiedName())) {
			return CompletableFuture.failedFuture(
					new InvalidServiceException("Service already exposed: " + descriptor.qualifiedName()));
		}
		return toCaller(task("expose_service", descriptor.metadata().toWire()).thenApply((result) -> {
			if (!(result instanceof Definition definition)) {
				throw new ProtocolException("expose_service answered " + result + " instead of a Definition");
			}
			this.netron.localPeer().addStub(definition, instance);
			return definition;
		}));
	}

	/**
	 * Withdraws a service this node exposed into the peer.
	 * @param qualifiedName the service's qualified name
	 * @return completes once the peer withdrew it
	 */
	public CompletableFuture<Void> unexposeService(String qualifiedName) {
		return toCaller(task("unexpose_service", qualifiedName).thenAccept((defId) -> {
			if (defId instanceof String id) {
				this.netron.localPeer().removeStub(id);
			}
		}));
	}

	Definition definitionByName(String qualifiedName) {
		return this.peerServices.byName(qualifiedName);
	}

	/** The definition of a service by name: known already, or looked up ({@code query_interface}) from a Titan peer. */
	CompletableFuture<Definition> definitionByNameAsync(String qualifiedName) {
		if (this.peerServices.offers(qualifiedName) || dialect().listsServices()) {
			try {
				return CompletableFuture.completedFuture(this.peerServices.byName(qualifiedName));
			}
			catch (UnknownServiceException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		return this.peerServices.lookup(qualifiedName);
	}

	RemoteService registerExposedDefinition(Definition definition) {
		return this.peerServices.registerExposed(definition);
	}

	void forgetDefinition(String defId) {
		this.peerServices.forget(defId);
	}

	/** An answer as callers of a {@link RemoteService} see it (sub-services and streams resolved). */
	CompletableFuture<@Nullable Object> afterResponse(CompletableFuture<@Nullable Object> raw) {
		return deliver(raw, this.peerServices::processResult);
	}

	/**
	 * The future a caller gets for an answer: converted on the thread that completes {@code raw}
	 * (Netron's own work, no user code), then completed with no hand-off. Its callbacks run on the
	 * workers ({@link AnswerFuture}), or on that thread with {@link NetronOptions#directCallbacks()}.
	 */
	/** {@return {@code future}, which cancels {@code source} when it is cancelled (the caller gave up)} */
	static <T> CompletableFuture<T> cancelling(CompletableFuture<T> future, CompletableFuture<?> source) {
		future.whenComplete((value, failure) -> {
			if (failure instanceof java.util.concurrent.CancellationException) {
				source.cancel(false);
			}
		});
		return future;
	}

	<T> CompletableFuture<T> deliver(CompletableFuture<@Nullable Object> raw,
			java.util.function.Function<@Nullable Object, T> convert) {
		if (this.netron.options().directCallbacks()) {
			return cancelling(raw.thenApply(convert), raw);
		}
		AnswerFuture<T> answer = new AnswerFuture<>(callbackExecutor(), this.answerCallbacks);
		cancelling(answer, raw);
		raw.whenComplete((value, failure) -> {
			if (failure != null) {
				AnswerFuture.deliver(answer, null, Failures.asCompletion(failure));
				return;
			}
			T converted;
			try {
				converted = convert.apply(value);
			}
			catch (Throwable ex) {
				AnswerFuture.deliver(answer, null, Failures.asCompletion(ex));
				return;
			}
			AnswerFuture.deliver(answer, converted, null);
		});
		return answer;
	}

	/** A future of Netron's own making, handed to a caller: its callbacks stay off the I/O threads. */
	<T> CompletableFuture<T> toCaller(CompletableFuture<T> internal) {
		@SuppressWarnings("unchecked")
		CompletableFuture<@Nullable Object> raw = (CompletableFuture<@Nullable Object>) internal;
		@SuppressWarnings("unchecked")
		CompletableFuture<T> delivered = deliver(raw, (value) -> (T) value);
		return delivered;
	}

	/** An answer converted to the type a proxy method declares. */
	@Nullable Object fromWire(@Nullable Object value, Type declared) {
		return this.peerServices.fromWire(value, declared);
	}

	// ------------------------------------------------------------------ events

	/**
	 * Subscribes to an event the peer emits; the first listener of an event name sends the
	 * {@code subscribe} task. The same listener added twice is called once.
	 * @param event the event name
	 * @param listener called with the event's arguments, in the order the peer emits them
	 * @return completes once the peer confirmed the subscription
	 */
	public CompletableFuture<Void> subscribe(String event, NetronEventListener listener) {
		return toCaller(this.events.subscribe(event, listener));
	}

	/**
	 * Removes a listener; the last one of an event name sends the {@code unsubscribe} task.
	 * @param event the event name
	 * @param listener a listener given to {@link #subscribe}
	 * @return completes once the peer confirmed, when this was the last listener
	 */
	public CompletableFuture<Void> unsubscribe(String event, NetronEventListener listener) {
		return toCaller(this.events.unsubscribe(event, listener));
	}

	PeerEvents events() {
		return this.events;
	}

	// ------------------------------------------------------------------ requests

	/**
	 * Runs a task on the peer.
	 * @param name the task's name
	 * @param args the task's arguments
	 * @return the task's result
	 */
	public CompletableFuture<@Nullable Object> runTask(String name, @Nullable Object... args) {
		return toCaller(task(name, args));
	}

	/** {@link #runTask} for Netron's own use: the future completes on the thread that read the answer. */
	CompletableFuture<@Nullable Object> task(String name, @Nullable Object... args) {
		List<@Nullable Object> data = new ArrayList<>(args.length + 1);
		data.add(name);
		Collections.addAll(data, args);
		return sendRequest(PacketType.TASK, data, "task " + name);
	}

	/** Sends a request that names no definition resolved earlier (a task, or a definition id given as is). */
	CompletableFuture<@Nullable Object> sendRequest(PacketType type, List<@Nullable Object> data, String what) {
		return sendRequest(type, data, what, this.generation);
	}

	/**
	 * Sends a request; its answer may be a stale "Unknown definition" (see
	 * {@link RemoteInvocationException#isStaleDefinition()}) when it goes out on a connection whose
	 * services are not known yet, or names a definition resolved before the services last changed.
	 * @param resolvedGeneration the service generation the request's definition was resolved in
	 */
	CompletableFuture<@Nullable Object> sendRequest(PacketType type, List<@Nullable Object> data, String what,
			long resolvedGeneration) {
		return sendRequest(type, data, what, resolvedGeneration, this.requestTimeout);
	}

	private CompletableFuture<@Nullable Object> sendRequest(PacketType type, List<@Nullable Object> data, String what,
			long resolvedGeneration, Duration timeout) {
		Observation observation = observeSent(type, data);
		CompletableFuture<@Nullable Object> answer = send(type, data, what, resolvedGeneration, timeout);
		if (!observation.isNoop()) {
			answer.whenComplete((value, failure) -> endSent(observation, failure));
		}
		return answer;
	}

	private CompletableFuture<@Nullable Object> send(PacketType type, List<@Nullable Object> data, String what,
			long resolvedGeneration, Duration timeout) {
		PeerLink current = this.link;
		Connection connection = (current != null) ? current.connection : null;
		if (current == null || connection == null || !connection.isOpen()) {
			reconnectIfDue();
			return CompletableFuture.failedFuture(new PeerDisconnectedException(
					"Cannot send " + type + " " + what + ": " + describe() + " is not connected"
							+ ((this.address != null && !this.closed) ? " (reconnecting)" : ""), false));
		}
		long packetId = this.netron.packetIds().next();
		CompletableFuture<@Nullable Object> answer = this.pending.add(packetId, type, what,
				System.nanoTime() + timeout.toNanos(),
				current.serial != this.servicesLink || resolvedGeneration != this.generation);
		byte[] frame;
		try {
			frame = this.netron.codec().encode(Packet.request(packetId, type, data));
		}
		catch (RuntimeException ex) {
			this.pending.remove(packetId);
			return CompletableFuture.failedFuture(ex);
		}
		connection.send(frame);
		return answer;
	}

	/** The observation of a request to send: the service is named by its definition when it is known. */
	private Observation observeSent(PacketType type, List<@Nullable Object> data) {
		if (!this.netron.isObserving()) {
			return Observation.NOOP;
		}
		String first = (!data.isEmpty() && data.get(0) instanceof String text) ? text : "";
		if (type == PacketType.TASK) {
			return this.netron.observeSent(type, null, first, this.id);
		}
		Definition definition = this.peerServices.definition(first);
		String member = (data.size() > 1 && data.get(1) instanceof String text) ? text : "";
		return this.netron.observeSent(type, (definition != null) ? definition.meta().qualifiedName() : "unknown",
				member, this.id);
	}

	private void endSent(Observation observation, @Nullable Throwable failure) {
		if (observation.getContext() instanceof NetronRequestObservationContext context) {
			Throwable cause = (failure != null) ? Failures.unwrap(failure) : null;
			if (cause == null) {
				context.setEnd(Outcome.SUCCESS, null);
			}
			else if (cause instanceof NetronTimeoutException) {
				context.setEnd(Outcome.TIMEOUT, "TimeoutError");
			}
			else if (cause instanceof PeerDisconnectedException) {
				context.setEnd(Outcome.DISCONNECTED, cause.getClass().getSimpleName());
			}
			else {
				context.setEnd(Outcome.ERROR, this.netron.observedErrorName(
						(cause instanceof RemoteInvocationException remote) ? remote.remoteName() : cause.getClass().getSimpleName()));
			}
			if (cause != null) {
				observation.error(cause);
			}
		}
		observation.stop();
	}

	/** Fails the requests whose timeout passed (the node sweeps every few tens of milliseconds). */
	void expireRequests(long now) {
		this.pending.expire(now, describe(), this.requestTimeout.toMillis());
	}

	IncomingFrames incoming() {
		return this.incoming;
	}

	StreamRegistry streams() {
		return this.streams;
	}

	ValueConverter converter() {
		return this.netron.codec().values().converter();
	}

	Executor callbackExecutor() {
		return this.netron.workers();
	}

	// ------------------------------------------------------------------ connection life cycle

	long generation() {
		return this.generation;
	}

	/** {@return the serial of the current (or last) connection; each new one counts up} */
	long linkSerial() {
		return this.linkSerial;
	}

	long connectTimeoutMillis() {
		return this.netron.options().connectTimeout().toMillis();
	}

	/** Completes once the services were refreshed after {@code generation} (at once if they were). */
	CompletableFuture<Void> servicesRefreshedAfter(long generation) {
		CompletableFuture<Void> next = this.refreshed;
		return (this.generation > generation) ? CompletableFuture.completedFuture(null) : next;
	}

	private synchronized void servicesRefreshed() {
		// generation first: a waiter that reads the new future has already seen the new generation
		this.servicesLink = this.linkSerial;
		this.generation++;
		CompletableFuture<Void> done = this.refreshed;
		this.refreshed = new CompletableFuture<>();
		done.complete(null);
	}

	@Nullable Connection connection() {
		PeerLink current = this.link;
		return (current != null) ? current.connection : null;
	}

	void setAbilities(@Nullable Object abilities) {
		if (abilities instanceof Map<?, ?> map) {
			this.abilities = map;
		}
	}

	/** The dialect of the current connection (of the last one when there is none). */
	Dialect dialect() {
		PeerLink current = this.link;
		return (current != null) ? current.dialect : this.lastDialect;
	}

	/** {@return the protocol generation the current (or last) connection speaks} */
	public ProtocolGeneration generationSpoken() {
		return dialect().generation();
	}

	/**
	 * An accepted peer's client-id named it (Titan generation): it is known by that id from now on,
	 * registered and announced if it had none ({@code ?id=} missing), re-registered if it had another.
	 */
	void identifiedAs(String clientId) {
		this.lastDialect = Dialect.TITAN;
		String previous = this.id;
		if (previous.equals(clientId)) {
			return;
		}
		this.id = clientId;
		if (previous.isEmpty()) {
			this.netron.registerAccepted(this);
			this.netron.peerConnected(this);
		}
		else {
			this.netron.rekeyAccepted(this, previous);
		}
	}

	/** Accept side: the connection is already open; the handshake frame is sent next. */
	PeerLink attachAccepted(Connection connection) {
		PeerLink accepted = new PeerLink(this, false);
		accepted.connection = connection;
		this.link = accepted;
		accepted.serial = ++this.linkSerial;
		servicesRefreshed();
		accepted.startKeepAlive(this.netron);
		return accepted;
	}

	/** Connect side: opens a connection, waits for the handshake, asks for abilities. */
	CompletableFuture<RemotePeer> open() {
		if (this.address == null) {
			throw new IllegalStateException("A peer that connected to this node cannot be opened");
		}
		return PeerLink.open(this, this.netron, this.address, this::established);
	}

	private CompletableFuture<RemotePeer> established(PeerLink opening, String remoteId) {
		if (opening.abandoned) {
			return CompletableFuture.failedFuture(new NetronException("Connection abandoned"));
		}
		this.id = remoteId;
		this.link = opening;
		this.lastDialect = opening.dialect;
		opening.serial = ++this.linkSerial;
		this.netron.register(this);
		if (!opening.dialect.listsServices()) {
			// a Titan server lists nothing: services are looked up when first used (query_interface)
			this.abilities = Map.of();
			this.peerServices.replaceOffered(Map.of());
			servicesRefreshed();
			return this.events.resubscribe().thenApply((ignored) -> {
				this.reconnector.reset();
				this.netron.peerConnected(this);
				return this;
			});
		}
		Map<String, Object> ownAbilities = new LinkedHashMap<>();
		ownAbilities.put("allowServiceEvents", this.netron.options().allowServiceEvents());
		// part of connecting: bounded by the connect timeout (PeerLink.open), not the request timeout
		List<@Nullable Object> abilities = new ArrayList<>(2);
		abilities.add("abilities");
		abilities.add(ownAbilities);
		CompletableFuture<@Nullable Object> answered = sendRequest(PacketType.TASK, abilities, "task abilities",
				this.generation, this.netron.options().connectTimeout());
		return answered.thenCompose((reply) -> {
			if (!(reply instanceof Map<?, ?> map)) {
				throw new ProtocolException("abilities answered " + reply + " instead of an object");
			}
			this.abilities = map;
			this.peerServices.replaceOffered((map.get("services") instanceof Map<?, ?> offered) ? offered : Map.of());
			this.events.followServiceEvents(Boolean.TRUE.equals(map.get("allowServiceEvents")));
			// only now do proxies re-resolve: the services of the new connection are known
			servicesRefreshed();
			return this.events.resubscribe();
		}).thenApply((ignored) -> {
			this.reconnector.reset();
			this.netron.peerConnected(this);
			return this;
		});
	}

	/** A connection closed: what it carried fails at once, and a peer this node connected to comes back. */
	void onClose(PeerLink closedLink, int code, String reason) {
		closedLink.releaseServing(this.netron);
		if (this.link != closedLink) {
			return;
		}
		this.link = null;
		if (this.id.isEmpty()) {
			// never identified (no ?id, and no client-id came): nothing was registered or announced
			return;
		}
		if (logger.isInfoEnabled()) {
			Connection connection = closedLink.connection;
			logger.info("Peer {} ({}) disconnected: code {}{}", this.id,
					(connection != null) ? connection.remoteAddress() : this.address, code, reason.isEmpty() ? "" : ", " + reason);
		}
		String message = (code == 1001)
				? describe() + " is shutting down (code 1001, going away)"
				: describe() + " disconnected (code " + code + (reason.isEmpty() ? "" : ", " + reason) + ")";
		this.pending.failAll((what) -> new PeerDisconnectedException(message + " before answering " + what));
		this.streams.closeAll(new PeerDisconnectedException(message + " before its streams ended"));
		this.events.removeRemoteSubscriptions();
		LocalPeer local = this.netron.localPeer();
		local.releaseHolder(this);
		local.unexposeRemoteServices(this);
		this.netron.peerDisconnected(this);
		if (this.address != null && !this.closed && (this.netron.isClosed() || this.netron.isDraining())) {
			// this node is stopping: it does not reconnect to anything
			giveUp();
		}
		else if (this.address != null && !this.closed && this.netron.options().reconnect().enabled()) {
			this.reconnector.scheduleNext();
		}
	}

	/** Closed for good: no more reconnect attempts. */
	void giveUp() {
		this.closed = true;
		this.netron.forget(this);
	}

	/**
	 * Tries to reconnect at once, rather than at the backoff's next attempt, when this peer lost
	 * its connection and the last attempt is older than a quarter of a second: a call or a health
	 * check shows the peer is wanted (as gRPC channels leave TRANSIENT_FAILURE on a new call).
	 */
	public void reconnectIfDue() {
		if (this.address != null) {
			this.reconnector.attemptIfDue();
		}
	}

	/**
	 * Closes the connection with 1001 ("going away"): the node is shutting down.
	 * @see PeerLink#goAway
	 */
	CompletableFuture<Void> goAway(Duration flushTimeout) {
		PeerLink current = this.link;
		return (current != null) ? current.goAway(this.netron, flushTimeout) : CompletableFuture.completedFuture(null);
	}

	/** Closes the connection for good: no reconnect, pending requests fail at once. */
	public void disconnect() {
		this.closed = true;
		PeerLink current = this.link;
		if (current != null && current.connection != null) {
			current.connection.close(1000, "disconnect");
			onClose(current, 1000, "disconnected by this node");
		}
		this.netron.forget(this);
	}

}
