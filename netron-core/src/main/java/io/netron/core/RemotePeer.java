package io.netron.core;

import java.lang.reflect.Type;
import java.net.URI;
import java.net.URLEncoder;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netron.NetronException;
import io.netron.protocol.Definition;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.JsMap;
import io.netron.protocol.MalformedPacketException;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketFlags;
import io.netron.protocol.PacketType;
import io.netron.protocol.ProtocolException;
import io.netron.protocol.StreamReference;
import io.netron.protocol.Undefined;
import io.netron.stream.NetronReadableStream;
import io.netron.stream.NetronWritableStream;
import io.netron.stream.StreamAdapters;
import io.netron.stream.StreamRegistry;
import io.netron.stream.StreamTransport;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.backoff.BackOffExecution;

/**
 * Another node this node is connected to, in either direction. Sends requests (calls, property
 * reads and writes, tasks) and serves the peer's requests against the local services.
 *
 * <p>A peer this node connected to ({@link Netron#connect}) survives reconnects: its
 * {@link RemoteService}s and event subscriptions keep working once the connection is back.
 */
public final class RemotePeer {

	private static final Logger logger = LoggerFactory.getLogger(RemotePeer.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Netron netron;

	private final @Nullable URI address;

	private volatile String id;

	private volatile @Nullable Link link;

	/** Bumped once the peer's services are known on a new connection (proxies re-resolve then). */
	private volatile long generation;

	/** Bumped when a new connection replaces the link. */
	private volatile long linkSerial;

	/** The connection whose services {@link #services} holds. */
	private volatile long servicesLink;

	/** Completes when {@link #generation} moves next. */
	private volatile CompletableFuture<Void> refreshed = new CompletableFuture<>();

	/** The pending reconnect attempt, if one is scheduled. */
	private @Nullable ScheduledFuture<?> reconnectTask;

	private boolean reconnecting;

	private long lastAttemptNanos;

	/** A call or health check on a lost peer tries at once when the last attempt is older than this. */
	private static final long RECONNECT_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

	private volatile Map<?, ?> abilities = Map.of();

	private volatile boolean closed;

	private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

	private final Map<String, Definition> services = new ConcurrentHashMap<>();

	private final Map<String, Definition> definitions = new ConcurrentHashMap<>();

	private final Map<String, InterfaceRef> interfaces = new ConcurrentHashMap<>();

	private final Map<String, CopyOnWriteArrayList<NetronEventListener>> eventSubscribers = new ConcurrentHashMap<>();

	private final Map<String, Object> remoteSubscriptions = new ConcurrentHashMap<>();

	private final SerialExecutor eventExecutor;

	private final NetronEventListener serviceExposed = (args) -> onServiceEvent(args, true);

	private final NetronEventListener serviceUnexposed = (args) -> onServiceEvent(args, false);

	private @Nullable BackOffExecution reconnectBackOff;

	private int reconnectAttempts;

	private final Duration requestTimeout;

	private final StreamRegistry streams;

	/** A peer that connected to this node. */
	RemotePeer(Netron netron, String id) {
		this.netron = netron;
		this.id = id;
		this.address = null;
		this.requestTimeout = netron.options().requestTimeout();
		this.streams = new StreamRegistry(new Transport(), netron.options().streams(), netron.streamIds()::next);
		this.eventExecutor = new SerialExecutor(netron.workers());
	}

	/** A peer this node connects to. */
	RemotePeer(Netron netron, URI address, Duration requestTimeout) {
		this.netron = netron;
		this.id = "";
		this.address = address;
		this.requestTimeout = requestTimeout;
		this.streams = new StreamRegistry(new Transport(), netron.options().streams(), netron.streamIds()::next);
		this.eventExecutor = new SerialExecutor(netron.workers());
	}

	/** The peer's node id. */
	public String id() {
		return this.id;
	}

	/** The streams of this peer's connection. */
	StreamRegistry streams() {
		return this.streams;
	}

	/** How long requests to this peer may take. */
	public Duration requestTimeout() {
		return this.requestTimeout;
	}

	/** The id of this node (the local side of the connection). */
	public String netronId() {
		return this.netron.id();
	}

	/** The address this node connects to, for peers this node connected to. */
	public @Nullable URI address() {
		return this.address;
	}

	/** Whether the connection is up. */
	public boolean isConnected() {
		Link current = this.link;
		return current != null && current.connection != null && current.connection.isOpen();
	}

	/**
	 * Whether this peer is closed for good: disconnected by this node, or given up on after the
	 * configured reconnect attempts. A closed peer never reconnects.
	 */
	public boolean isClosed() {
		return this.closed;
	}

	/** The abilities the peer announced ({@code allowServiceEvents}, ...). */
	public Map<?, ?> abilities() {
		return this.abilities;
	}

	void setAbilities(@Nullable Object abilities) {
		if (abilities instanceof Map<?, ?> map) {
			this.abilities = map;
		}
	}

	/** The qualified names of the services the peer offers. */
	public Set<String> serviceNames() {
		return Set.copyOf(this.services.keySet());
	}

	/** The peer's services by qualified name. */
	public Map<String, Definition> services() {
		return Map.copyOf(this.services);
	}

	long generation() {
		return this.generation;
	}

	long connectTimeoutMillis() {
		return this.netron.options().connectTimeout().toMillis();
	}

	long linkSerial() {
		return this.linkSerial;
	}

	/** The connection the known services came with: definitions resolved now belong to it. */
	long servicesLink() {
		return this.servicesLink;
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

	Executor callbackExecutor() {
		return this.netron.workers();
	}

	String describe() {
		String where = (this.address != null) ? " (" + this.address + ")"
				: (this.link != null && this.link.connection != null) ? " (" + this.link.connection.remoteAddress() + ")" : "";
		return "peer " + (this.id.isEmpty() ? "?" : this.id) + where;
	}

	// ------------------------------------------------------------------ services of the peer

	/**
	 * The remote service with that name ({@code name}, {@code name@1.2.3} or {@code name@^1.2});
	 * each call adds a reference, released with {@link #releaseInterface(Object)}.
	 * @throws UnknownServiceException "Unknown service: name." when the peer offers none
	 */
	public RemoteService queryInterface(String qualifiedName) {
		String key = VersionResolver.resolve(this.services, qualifiedName);
		if (key == null) {
			throw new UnknownServiceException("Unknown service: " + qualifiedName + ".");
		}
		return queryInterface(this.services.get(key), key);
	}

	/** A typed proxy of the remote service with that name. */
	public <T> T queryInterface(String qualifiedName, Class<T> type) {
		return queryInterface(qualifiedName).as(type);
	}

	private RemoteService queryInterface(Definition definition, @Nullable String qualifiedName) {
		InterfaceRef ref = this.interfaces.compute(definition.id(), (defId, existing) -> {
			if (existing != null && !existing.service().isReleased()) {
				existing.count++;
				return existing;
			}
			return new InterfaceRef(new RemoteService(this, definition, qualifiedName, this.generation));
		});
		return ref.service();
	}

	Definition definitionByName(String qualifiedName) {
		Definition definition = this.services.get(qualifiedName);
		if (definition == null) {
			throw new UnknownServiceException("Unknown service: " + qualifiedName + ".");
		}
		return definition;
	}

	/**
	 * Drops one reference to a service (a {@link RemoteService} or a typed proxy). The last one
	 * tells the peer with {@code unref_service}, and releases the sub-services it handed out.
	 * @throws NetronException "Invalid interface" for something that is not a live service of this peer
	 */
	public CompletableFuture<Void> releaseInterface(Object service) {
		RemoteService remote = (service instanceof NetronProxy proxy) ? proxy.remoteService()
				: (service instanceof RemoteService rs) ? rs : null;
		if (remote == null || remote.peer() != this || remote.isReleased()) {
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
		if (isConnected()) {
			steps.add(runTask("unref_service", defId).handle((ignored, failure) -> {
				if (failure != null) {
					logger.debug("unref_service {} on {} failed: {}", defId, describe(), failure.toString());
				}
				return null;
			}));
		}
		return CompletableFuture.allOf(steps.toArray(new CompletableFuture<?>[0]));
	}

	/** A service this peer exposed into this node: a relay target, not reference-counted. */
	RemoteService registerExposedDefinition(Definition definition) {
		this.definitions.put(definition.id(), definition);
		return new RemoteService(this, definition, null, this.generation);
	}

	void forgetDefinition(String defId) {
		this.definitions.remove(defId);
	}

	/** Results as callers see them: a definition becomes a (counted) sub-service. */
	@Nullable Object processResult(@Nullable Object value, Definition parent) {
		if (value instanceof StreamReference reference) {
			return this.streams.open(reference);
		}
		if (value instanceof Definition definition) {
			this.definitions.putIfAbsent(definition.id(), definition);
			Definition stored = this.definitions.get(definition.id());
			String qualifiedName = this.services.containsValue(stored) ? stored.meta().qualifiedName() : null;
			return queryInterface(stored, qualifiedName);
		}
		return value;
	}

	CompletableFuture<@Nullable Object> afterResponse(CompletableFuture<@Nullable Object> raw, RemoteService service) {
		return raw.thenApplyAsync((value) -> processResult(value, service.definition()), callbackExecutor());
	}

	/** A result converted to the type a proxy method declares. */
	@Nullable Object fromWire(@Nullable Object value, RemoteService parent, Type declared) {
		Object processed = processResult(value, parent.definition());
		if (processed instanceof NetronReadableStream<?> || processed instanceof NetronWritableStream<?>) {
			return StreamAdapters.adapt(processed, declared, this.netron.codec().values().converter());
		}
		if (processed instanceof RemoteService service) {
			if (declared instanceof Class<?> type && type.isInterface() && !type.getName().startsWith("java.")) {
				return service.as(type);
			}
			return service;
		}
		return this.netron.codec().values().converter().convert(processed, declared);
	}

	// ------------------------------------------------------------------ exposing into the peer

	/**
	 * Exposes a local service object into the peer, which relays its callers' requests here.
	 * @throws InvalidServiceException when the peer already offers a service of that name
	 */
	public CompletableFuture<Definition> exposeService(Object instance) {
		ServiceDescriptor descriptor = ServiceDescriptor.forClass(instance.getClass());
		if (this.services.containsKey(descriptor.qualifiedName())) {
			return CompletableFuture.failedFuture(
					new InvalidServiceException("Service already exposed: " + descriptor.qualifiedName()));
		}
		return runTask("expose_service", descriptor.metadata().toWire()).thenApply((result) -> {
			if (!(result instanceof Definition definition)) {
				throw new ProtocolException("expose_service answered " + result + " instead of a Definition");
			}
			this.netron.localPeer().addStub(definition, instance);
			return definition;
		});
	}

	/** Withdraws a service this node exposed into the peer. */
	public CompletableFuture<Void> unexposeService(String qualifiedName) {
		return runTask("unexpose_service", qualifiedName).thenAccept((defId) -> {
			if (defId instanceof String id) {
				this.netron.localPeer().removeStub(id);
			}
		});
	}

	// ------------------------------------------------------------------ events

	/**
	 * Subscribes to an event the peer emits; the first listener of an event name sends the
	 * {@code subscribe} task. The same listener added twice is called once.
	 */
	public CompletableFuture<Void> subscribe(String event, NetronEventListener listener) {
		boolean first;
		synchronized (this.eventSubscribers) {
			CopyOnWriteArrayList<NetronEventListener> listeners = this.eventSubscribers.computeIfAbsent(event,
					(name) -> new CopyOnWriteArrayList<>());
			if (listeners.contains(listener)) {
				return CompletableFuture.completedFuture(null);
			}
			first = listeners.isEmpty();
			listeners.add(listener);
		}
		return first ? runTask("subscribe", event).thenApply((ignored) -> null) : CompletableFuture.completedFuture(null);
	}

	/** Removes a listener; the last one of an event name sends the {@code unsubscribe} task. */
	public CompletableFuture<Void> unsubscribe(String event, NetronEventListener listener) {
		synchronized (this.eventSubscribers) {
			CopyOnWriteArrayList<NetronEventListener> listeners = this.eventSubscribers.get(event);
			if (listeners == null || !listeners.remove(listener)) {
				return CompletableFuture.completedFuture(null);
			}
			if (!listeners.isEmpty()) {
				return CompletableFuture.completedFuture(null);
			}
			this.eventSubscribers.remove(event);
		}
		return isConnected() ? runTask("unsubscribe", event).thenApply((ignored) -> null)
				: CompletableFuture.completedFuture(null);
	}

	/** The {@code emit} task: the peer delivers one of its events to this node's listeners. */
	void deliverEvent(String event, List<@Nullable Object> args) {
		CopyOnWriteArrayList<NetronEventListener> listeners = this.eventSubscribers.get(event);
		if (listeners == null) {
			return;
		}
		for (NetronEventListener listener : listeners) {
			try {
				listener.onEvent(args);
			}
			catch (Exception ex) {
				logger.warn("Listener of event '{}' from {} failed", event, describe(), ex);
			}
		}
	}

	/** The {@code subscribe} task: forward this node's events of that name to the peer. */
	void addRemoteSubscription(String event) {
		Object key = new Object();
		if (this.remoteSubscriptions.putIfAbsent(event, key) == null) {
			this.netron.events().on(event, key, (args) -> {
				List<@Nullable Object> taskArgs = new ArrayList<>(args.size() + 1);
				taskArgs.add(event);
				taskArgs.addAll(args);
				return isConnected() ? runTask("emit", taskArgs.toArray()) : null;
			});
		}
	}

	/** The {@code unsubscribe} task. */
	void removeRemoteSubscription(String event) {
		Object key = this.remoteSubscriptions.remove(event);
		if (key != null) {
			this.netron.events().off(event, key);
		}
	}

	private void onServiceEvent(List<@Nullable Object> args, boolean exposed) {
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

	// ------------------------------------------------------------------ tasks and requests

	/** Runs a task on the peer. */
	public CompletableFuture<@Nullable Object> runTask(String name, @Nullable Object... args) {
		List<@Nullable Object> data = new ArrayList<>(args.length + 1);
		data.add(name);
		java.util.Collections.addAll(data, args);
		return sendRequest(PacketType.TASK, data, "task " + name);
	}

	CompletableFuture<@Nullable Object> sendRequest(PacketType type, List<@Nullable Object> data, String what) {
		Link current = this.link;
		Connection connection = (current != null) ? current.connection : null;
		if (connection == null || !connection.isOpen()) {
			reconnectIfDue();
			return CompletableFuture.failedFuture(new PeerDisconnectedException(
					"Cannot send " + type + " " + what + ": " + describe() + " is not connected"
							+ ((this.address != null && !this.closed) ? " (reconnecting)" : ""), false));
		}
		long packetId = this.netron.packetIds().next();
		Pending request = new Pending(type, what, System.nanoTime() + this.requestTimeout.toNanos(),
				current.serial != this.servicesLink);
		this.pending.put(packetId, request);
		byte[] frame;
		try {
			frame = this.netron.codec().encode(Packet.request(packetId, type, data));
		}
		catch (RuntimeException ex) {
			this.pending.remove(packetId);
			return CompletableFuture.failedFuture(ex);
		}
		connection.send(frame);
		return request.future;
	}

	/**
	 * Fails the requests whose timeout passed (the node sweeps every few tens of milliseconds,
	 * rather than scheduling and cancelling a timer per request).
	 */
	void expireRequests(long now) {
		if (this.pending.isEmpty()) {
			return;
		}
		for (Map.Entry<Long, Pending> entry : this.pending.entrySet()) {
			Pending request = entry.getValue();
			if (now - request.deadline >= 0 && this.pending.remove(entry.getKey(), request)) {
				request.future.completeExceptionally(new NetronTimeoutException("Request timeout exceeded: no answer to "
						+ request.type + " " + request.what + " from " + describe() + " within "
						+ this.requestTimeout.toMillis() + " ms"));
			}
		}
	}

	// ------------------------------------------------------------------ incoming frames

	private void onFrame(Link source, byte[] frame) {
		Packet packet;
		try {
			packet = this.netron.codec().decode(frame);
		}
		catch (MalformedPacketException ex) {
			onMalformed(source, ex);
			return;
		}
		if (logger.isTraceEnabled()) {
			logger.trace("<- {} packet {} flags 0x{} from {}", packet.isImpulse() ? "request" : "response", packet.id(),
					Integer.toHexString(packet.flags()), describe());
		}
		if (!packet.isImpulse()) {
			onResponse(packet);
			return;
		}
		int type = packet.flags() & PacketFlags.TYPE_MASK;
		if (type == PacketType.STREAM.wireValue()) {
			this.streams.onChunk(packet.streamId(), packet.streamIndex(), packet.data(), packet.isEndOfStream(),
					packet.isLive(), frame.length);
			return;
		}
		if (type == PacketType.STREAM_ERROR.wireValue()) {
			this.streams.onError(packet.data());
			return;
		}
		if (type == PacketType.PING.wireValue()) {
			respondError(source, packet.id(), packet.flags(), JsError.of(JsErrorType.ERROR, "Unknown packet type: 0"));
			return;
		}
		Executor executor = isEmitTask(packet) ? this.eventExecutor : this.netron.workers();
		try {
			executor.execute(() -> serve(source, packet));
		}
		catch (RejectedExecutionException ex) {
			respondError(source, packet.id(), packet.flags(), JsError.of(JsErrorType.ERROR,
					"Node " + this.netron.id() + " is overloaded: request " + packet.id() + " was rejected"));
		}
	}

	/** Tasks still served while draining: they only deliver events or release resources. */
	private static boolean isHousekeepingTask(Packet packet) {
		return packet.type() == PacketType.TASK && packet.data() instanceof List<?> data && !data.isEmpty()
				&& (data.get(0) instanceof String name)
				&& (name.equals("emit") || name.equals("unsubscribe") || name.equals("unref_service"));
	}

	private static boolean isEmitTask(Packet packet) {
		return packet.type() == PacketType.TASK && packet.data() instanceof List<?> data && !data.isEmpty()
				&& "emit".equals(data.get(0));
	}

	private void onMalformed(Link source, MalformedPacketException ex) {
		if (!ex.hasHeader()) {
			logger.debug("Dropped undecodable frame from {}: {}", describe(), ex.getMessage());
			return;
		}
		if ((ex.flags() & PacketFlags.IMPULSE) != 0) {
			logger.debug("Answering undecodable request from {} with an error: {}", describe(), ex.getMessage());
			respondError(source, ex.packetId(), ex.flags(), JsError.of(JsErrorType.ERROR, ex.getMessage()));
			return;
		}
		Pending request = this.pending.remove(ex.packetId());
		if (request != null) {
			request.future.completeExceptionally(new ProtocolException(
					"Undecodable response to " + request.type + " " + request.what + " from " + describe() + ": "
							+ ex.getMessage()));
		}
		else {
			logger.debug("Dropped undecodable response from {}: {}", describe(), ex.getMessage());
		}
	}

	private void onResponse(Packet packet) {
		Pending request = this.pending.remove(packet.id());
		if (request == null) {
			logger.debug("Ignored response {} from {}: no request waits for it (timed out?)", packet.id(), describe());
			return;
		}
		if (packet.isError()) {
			JsError error = (packet.data() instanceof JsError js) ? js
					: JsError.of(JsErrorType.ERROR, String.valueOf(packet.data()));
			request.future.completeExceptionally(new RemoteInvocationException(error, request.beforeServicesKnown));
		}
		else {
			request.future.complete(packet.data());
		}
	}

	/**
	 * Serves one request: exactly one answer goes back (the result, or an error naming what went
	 * wrong), and the node's in-flight count taken for it is given back when it is answered or
	 * when its connection closes, whichever comes first.
	 */
	private void serve(Link source, Packet packet) {
		if (!this.netron.beginRequest()) {
			if (!isHousekeepingTask(packet)) {
				respondError(source, packet.id(), packet.flags(), JsError.of(JsErrorType.ERROR,
						"Node " + this.netron.id() + " is shutting down: request refused"));
				return;
			}
			answer(source, packet, null);
			return;
		}
		answer(source, packet, source.track());
	}

	private void answer(Link source, Packet packet, @Nullable ServedRequest served) {
		CompletableFuture<@Nullable Object> result;
		try {
			result = dispatch(packet);
		}
		catch (Throwable ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		// handle, not whenComplete: a dependent stage of a failed future would wrap (and print)
		// the failure again, and a service's exception may not even survive that
		result.handle((value, failure) -> {
			try {
				if (failure != null) {
					respondError(source, packet.id(), packet.flags(), toJsErrorSafely(failure, packet));
				}
				else {
					respond(source, packet, value);
				}
			}
			catch (Throwable ex) {
				// the answer itself could not be written: the connection cannot keep its promise
				// of one answer per request, so it closes and the peer fails the call at once
				logger.error("Cannot answer request {} from {}; closing the connection", packet.id(), describe(), ex);
				Connection connection = source.connection;
				if (connection != null) {
					connection.close(1011, "cannot answer request " + packet.id());
				}
			}
			finally {
				if (served != null) {
					served.end();
				}
			}
			return null;
		});
	}

	private JsError toJsErrorSafely(Throwable failure, Packet packet) {
		try {
			return this.netron.toJsError(failure);
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot describe the failure of request {} from {}", packet.id(), describe(), ex);
			Throwable cause = Failures.unwrap(failure);
			return JsError.of(JsErrorType.ERROR, cause.getClass().getName() + " (its message cannot be sent)");
		}
	}

	private CompletableFuture<@Nullable Object> dispatch(Packet packet) {
		PacketType type = packet.type();
		if (!(packet.data() instanceof List<?> rawData) || rawData.isEmpty()) {
			throw JsError.of(JsErrorType.TYPE_ERROR, "Invalid " + type + " request: expected an array of arguments");
		}
		@SuppressWarnings("unchecked")
		List<@Nullable Object> data = (List<@Nullable Object>) rawData;
		LocalPeer local = this.netron.localPeer();
		return switch (type) {
			case GET -> local.stub(text(data, 0, type)).get(this, text(data, 1, type));
			case SET -> local.stub(text(data, 0, type)).set(this, text(data, 1, type),
					(data.size() > 2) ? data.get(2) : Undefined.INSTANCE);
			case CALL -> local.stub(text(data, 0, type)).call(this, text(data, 1, type), data.subList(2, data.size()));
			case TASK -> this.netron.taskManager().runTask(text(data, 0, type), this, data.subList(1, data.size()),
					this.netron.workers());
			default -> throw JsError.of(JsErrorType.ERROR, "Unknown packet type: " + type.wireValue());
		};
	}

	private static String text(List<@Nullable Object> data, int index, PacketType type) {
		if (index < data.size() && data.get(index) instanceof String text) {
			return text;
		}
		String what = (type == PacketType.TASK) ? "task name" : (index == 0) ? "definition id"
				: (type == PacketType.CALL) ? "method name" : "property name";
		throw JsError.of(JsErrorType.TYPE_ERROR, "Invalid " + type + " request: item " + index + " (" + what
				+ ") must be a string");
	}

	private void respond(Link source, Packet request, @Nullable Object value) {
		Packet response = Packet.response(request.id(), request.type(), value);
		byte[] frame;
		try {
			frame = this.netron.codec().encode(response);
		}
		catch (ProtocolException ex) {
			respondError(source, request.id(), request.flags(), JsError.of(JsErrorType.ERROR, ex.getMessage()));
			return;
		}
		send(source, frame);
		if (value instanceof StreamReference reference && reference.type() == StreamReference.StreamType.WRITABLE) {
			// the reference is queued: chunks may follow it now
			this.streams.start(reference.streamId());
		}
	}

	private void respondError(Link source, long packetId, int requestFlags, JsError error) {
		byte[] frame;
		try {
			frame = this.netron.codec().encode(Packet.errorResponse(packetId, requestFlags, error));
		}
		catch (ProtocolException ex) {
			// a custom field that cannot travel: send name and message only
			frame = this.netron.codec().encode(Packet.errorResponse(packetId, requestFlags,
					new JsError(error.type(), error.name(), error.getMessage(), error.stack(), Map.of())));
		}
		send(source, frame);
	}

	private void send(Link source, byte[] frame) {
		Connection connection = source.connection;
		if (connection != null && connection.isOpen()) {
			connection.send(frame);
		}
		else {
			logger.debug("Response to {} dropped: the connection closed", describe());
		}
	}

	// ------------------------------------------------------------------ connection life cycle

	/** Accept side: the connection is already open and the handshake frame sent. */
	ConnectionListener attachAccepted(Connection connection) {
		Link accepted = new Link(false);
		accepted.connection = connection;
		this.link = accepted;
		accepted.serial = ++this.linkSerial;
		servicesRefreshed();
		return accepted;
	}

	/** Connect side: opens a connection, waits for the handshake, asks for abilities. */
	CompletableFuture<RemotePeer> open() {
		URI target = withId(this.address, this.netron.id());
		Link opening = new Link(true);
		long millis = this.netron.options().connectTimeout().toMillis();
		CompletableFuture<RemotePeer> result = new CompletableFuture<>();
		ScheduledFuture<?> timer = this.netron.scheduler().schedule(() -> result.completeExceptionally(
				new NetronTimeoutException("Connection timeout: no handshake from " + this.address + " within " + millis
						+ " ms")), millis, TimeUnit.MILLISECONDS);
		this.netron.connector().connect(target, this.netron.options().connectTimeout(), opening)
			.whenComplete((connection, failure) -> {
				if (failure != null) {
					result.completeExceptionally(connectFailure(failure));
				}
			});
		opening.handshake.thenCompose((remoteId) -> established(opening, remoteId)).whenComplete((peer, failure) -> {
			if (failure != null) {
				result.completeExceptionally(Failures.unwrap(failure));
			}
			else {
				result.complete(peer);
			}
		});
		result.whenComplete((peer, failure) -> {
			timer.cancel(false);
			if (failure != null) {
				Connection connection = opening.connection;
				opening.abandoned = true;
				if (connection != null && connection.isOpen()) {
					connection.close(1000, "connect failed");
				}
			}
		});
		return result;
	}

	private NetronException connectFailure(Throwable failure) {
		Throwable cause = Failures.unwrap(failure);
		if (cause instanceof NetronException netron) {
			return netron;
		}
		if (cause instanceof java.net.http.HttpTimeoutException) {
			return new NetronTimeoutException("Connection timeout: " + this.address + " did not accept within "
					+ this.netron.options().connectTimeout().toMillis() + " ms");
		}
		String reason = (cause instanceof java.net.ConnectException) ? "connection refused"
				: (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		return new PeerDisconnectedException("Cannot connect to " + this.address + ": " + reason);
	}

	private CompletableFuture<RemotePeer> established(Link opening, String remoteId) {
		if (opening.abandoned) {
			return CompletableFuture.failedFuture(new NetronException("Connection abandoned"));
		}
		this.id = remoteId;
		this.link = opening;
		opening.serial = ++this.linkSerial;
		this.netron.register(this);
		Map<String, Object> ownAbilities = new LinkedHashMap<>();
		ownAbilities.put("allowServiceEvents", this.netron.options().allowServiceEvents());
		return runTask("abilities", ownAbilities).thenCompose((reply) -> {
			applyAbilities(reply);
			// only now do proxies re-resolve: the services of the new connection are known
			servicesRefreshed();
			return resubscribe();
		}).thenApply((ignored) -> {
			synchronized (this) {
				this.reconnectBackOff = null;
				this.reconnectAttempts = 0;
			}
			this.netron.peerConnected(this);
			return this;
		});
	}

	private void applyAbilities(@Nullable Object reply) {
		if (!(reply instanceof Map<?, ?> map)) {
			throw new ProtocolException("abilities answered " + reply + " instead of an object");
		}
		this.abilities = map;
		Map<String, Definition> offered = new LinkedHashMap<>();
		if (map.get("services") instanceof Map<?, ?> services) {
			services.forEach((name, definition) -> {
				if (name instanceof String qualifiedName && definition instanceof Definition def) {
					offered.put(qualifiedName, def);
				}
			});
		}
		this.services.keySet().retainAll(offered.keySet());
		this.services.putAll(offered);
		offered.values().forEach((definition) -> this.definitions.put(definition.id(), definition));
		if (Boolean.TRUE.equals(map.get("allowServiceEvents"))) {
			addListener(NetronEvents.SERVICE_EXPOSE, this.serviceExposed);
			addListener(NetronEvents.SERVICE_UNEXPOSE, this.serviceUnexposed);
		}
		else {
			removeListener(NetronEvents.SERVICE_EXPOSE, this.serviceExposed);
			removeListener(NetronEvents.SERVICE_UNEXPOSE, this.serviceUnexposed);
		}
	}

	private void addListener(String event, NetronEventListener listener) {
		this.eventSubscribers.computeIfAbsent(event, (name) -> new CopyOnWriteArrayList<>()).addIfAbsent(listener);
	}

	private void removeListener(String event, NetronEventListener listener) {
		CopyOnWriteArrayList<NetronEventListener> listeners = this.eventSubscribers.get(event);
		if (listeners != null) {
			listeners.remove(listener);
			if (listeners.isEmpty()) {
				this.eventSubscribers.remove(event, listeners);
			}
		}
	}

	/** Sends {@code subscribe} for every event name with listeners, in order. */
	private CompletableFuture<Void> resubscribe() {
		CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
		List<String> events = new ArrayList<>(this.eventSubscribers.keySet());
		events.sort((a, b) -> Integer.compare(eventRank(a), eventRank(b)));
		for (String event : events) {
			chain = chain.thenCompose((ignored) -> runTask("subscribe", event).thenApply((done) -> null));
		}
		return chain;
	}

	private static int eventRank(String event) {
		return NetronEvents.SERVICE_EXPOSE.equals(event) ? 0 : NetronEvents.SERVICE_UNEXPOSE.equals(event) ? 1 : 2;
	}

	private void onClose(Link closedLink, int code, String reason) {
		closedLink.releaseServing();
		if (this.link != closedLink) {
			return;
		}
		this.link = null;
		String message = (code == 1001)
				? describe() + " is shutting down (code 1001, going away)"
				: describe() + " disconnected (code " + code + (reason.isEmpty() ? "" : ", " + reason) + ")";
		for (Map.Entry<Long, Pending> entry : List.copyOf(this.pending.entrySet())) {
			if (this.pending.remove(entry.getKey(), entry.getValue())) {
				Pending request = entry.getValue();
				request.future.completeExceptionally(new PeerDisconnectedException(
						message + " before answering " + request.type + " " + request.what));
			}
		}
		this.streams.closeAll(new PeerDisconnectedException(message + " before its streams ended"));
		for (String event : List.copyOf(this.remoteSubscriptions.keySet())) {
			removeRemoteSubscription(event);
		}
		LocalPeer local = this.netron.localPeer();
		local.releaseHolder(this);
		local.unexposeRemoteServices(this);
		this.netron.peerDisconnected(this);
		if (this.address != null && !this.closed && (this.netron.isClosed() || this.netron.isDraining())) {
			// this node is stopping: it does not reconnect to anything
			this.closed = true;
			this.netron.forget(this);
		}
		else if (this.address != null && !this.closed && this.netron.options().reconnect().enabled()) {
			scheduleReconnect();
		}
	}

	private synchronized void scheduleReconnect() {
		if (this.reconnectBackOff == null) {
			this.reconnectBackOff = this.netron.reconnectBackOff().start();
		}
		long delay = this.reconnectBackOff.nextBackOff();
		int maxAttempts = this.netron.options().reconnect().maxAttempts();
		if (delay == BackOffExecution.STOP) {
			logger.error("Reconnect attempts exceeded ({}). Giving up on {}.", maxAttempts, this.address);
			this.closed = true;
			this.netron.forget(this);
			return;
		}
		int attempt = ++this.reconnectAttempts;
		logger.info("Reconnecting to {} in {} ms (attempt {}/{})...", this.address, delay, attempt,
				(maxAttempts > 0) ? maxAttempts : "unlimited");
		this.reconnectTask = this.netron.scheduler().schedule(this::attemptReconnect, delay, TimeUnit.MILLISECONDS);
	}

	private void attemptReconnect() {
		int attempt;
		synchronized (this) {
			if (this.reconnecting || this.closed || this.netron.isClosed() || this.netron.isDraining()) {
				return;
			}
			this.reconnecting = true;
			this.lastAttemptNanos = System.nanoTime();
			if (this.reconnectTask != null) {
				this.reconnectTask.cancel(false);
				this.reconnectTask = null;
			}
			attempt = this.reconnectAttempts;
		}
		int maxAttempts = this.netron.options().reconnect().maxAttempts();
		open().whenComplete((peer, failure) -> {
			synchronized (this) {
				this.reconnecting = false;
			}
			if (failure == null) {
				logger.info("Successfully reconnected to {}.", this.address);
			}
			else if (!this.closed) {
				logger.warn("Reconnect to {} failed ({}/{}): {}", this.address, attempt,
						(maxAttempts > 0) ? maxAttempts : "unlimited", failure.getMessage());
				scheduleReconnect();
			}
		});
	}

	/**
	 * Tries to reconnect at once, rather than at the backoff's next attempt, when this peer lost
	 * its connection and the last attempt is older than a quarter of a second: a call or a health
	 * check shows the peer is wanted (as gRPC channels leave TRANSIENT_FAILURE on a new call).
	 */
	public void reconnectIfDue() {
		synchronized (this) {
			if (this.address == null || this.closed || this.reconnecting || this.reconnectBackOff == null
					|| isConnected() || System.nanoTime() - this.lastAttemptNanos < RECONNECT_FLOOR_NANOS) {
				return;
			}
		}
		try {
			this.netron.scheduler().execute(this::attemptReconnect);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// the node is closing
		}
	}

	/**
	 * Closes the connection with 1001 ("going away") once the frames queued for it were sent, or
	 * after {@code flushTimeout}: the node is shutting down.
	 */
	CompletableFuture<Void> goAway(Duration flushTimeout) {
		CompletableFuture<Void> closed = new CompletableFuture<>();
		Link current = this.link;
		Connection connection = (current != null) ? current.connection : null;
		if (connection == null || !connection.isOpen()) {
			closed.complete(null);
			return closed;
		}
		long deadline = System.nanoTime() + flushTimeout.toNanos();
		Runnable[] attempt = new Runnable[1];
		attempt[0] = () -> {
			if (connection.bufferedBytes() > 0 && System.nanoTime() - deadline < 0 && connection.isOpen()) {
				this.netron.scheduler().schedule(attempt[0], 5, TimeUnit.MILLISECONDS);
				return;
			}
			try {
				connection.close(1001, "going away");
			}
			finally {
				closed.complete(null);
			}
		};
		attempt[0].run();
		return closed;
	}

	/** Closes the connection for good: no reconnect, pending requests fail at once. */
	public void disconnect() {
		this.closed = true;
		Link current = this.link;
		if (current != null && current.connection != null) {
			current.connection.close(1000, "disconnect");
			onClose(current, 1000, "disconnected by this node");
		}
		this.netron.forget(this);
	}

	private static URI withId(@Nullable URI address, String nodeId) {
		if (address == null) {
			throw new IllegalStateException("no address");
		}
		String text = address.toString();
		String separator = (address.getRawQuery() == null) ? "?" : "&";
		return URI.create(text + separator + "id=" + URLEncoder.encode(nodeId, StandardCharsets.UTF_8));
	}

	@Override
	public String toString() {
		return "RemotePeer[" + describe() + "]";
	}

	// ------------------------------------------------------------------ inner types

	/** Stream packets go out on the current connection; chunk packet ids come from the node's counter. */
	private final class Transport implements StreamTransport {

		@Override
		public String describe() {
			return RemotePeer.this.describe();
		}

		@Override
		public boolean isConnected() {
			return RemotePeer.this.isConnected();
		}

		private Connection connection() {
			Link current = RemotePeer.this.link;
			Connection connection = (current != null) ? current.connection : null;
			if (connection == null || !connection.isOpen()) {
				throw new PeerDisconnectedException(RemotePeer.this.describe() + " is not connected");
			}
			return connection;
		}

		@Override
		public void sendChunk(long streamId, long index, @Nullable Object data, boolean endOfStream, boolean live) {
			Connection connection = connection();
			connection.send(RemotePeer.this.netron.codec().encode(Packet.streamChunk(
					RemotePeer.this.netron.packetIds().next(), streamId, index, data, endOfStream, live)));
		}

		@Override
		public void sendError(long streamId, String message) {
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("streamId", streamId);
			data.put("message", message);
			connection().send(RemotePeer.this.netron.codec().encode(
					Packet.request(RemotePeer.this.netron.packetIds().next(), PacketType.STREAM_ERROR, data)));
		}

		@Override
		public long bufferedBytes() {
			Link current = RemotePeer.this.link;
			Connection connection = (current != null) ? current.connection : null;
			return (connection != null) ? connection.bufferedBytes() : 0;
		}

		@Override
		public Executor executor() {
			return RemotePeer.this.netron.workers();
		}

		@Override
		public java.util.concurrent.ScheduledExecutorService scheduler() {
			return RemotePeer.this.netron.scheduler();
		}

	}

	private static final class Pending {

		final CompletableFuture<@Nullable Object> future = new CompletableFuture<>();

		final PacketType type;

		final String what;

		final long deadline;

		final boolean beforeServicesKnown;

		Pending(PacketType type, String what, long deadline, boolean beforeServicesKnown) {
			this.type = type;
			this.what = what;
			this.deadline = deadline;
			this.beforeServicesKnown = beforeServicesKnown;
		}

	}

	/** One request counted in the node's in-flight requests until answered or its connection closed. */
	private final class ServedRequest {

		private final Link link;

		private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

		ServedRequest(Link link) {
			this.link = link;
		}

		void end() {
			if (this.ended.compareAndSet(false, true)) {
				this.link.serving.remove(this);
				RemotePeer.this.netron.endRequest();
			}
		}

	}

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

	/** One connection of this peer; frames of an old connection are not mixed with a new one's. */
	private final class Link implements ConnectionListener {

		final boolean connecting;

		final CompletableFuture<String> handshake = new CompletableFuture<>();

		volatile @Nullable Connection connection;

		volatile boolean abandoned;

		/** This connection's number among the peer's connections (set when it becomes the link). */
		volatile long serial;

		/** Requests of this connection being served: their in-flight counts go when it closes. */
		private final Set<ServedRequest> serving = ConcurrentHashMap.newKeySet();

		private volatile boolean closed;

		Link(boolean connecting) {
			this.connecting = connecting;
		}

		@Override
		public void onOpen(Connection opened) {
			this.connection = opened;
		}

		@Override
		public void onText(String text) {
			if (this.connecting && !this.handshake.isDone()) {
				try {
					JsonNode message = JSON.readTree(text);
					if (message != null && "id".equals(message.path("type").asText()) && message.path("id").isTextual()) {
						this.handshake.complete(message.get("id").asText());
						return;
					}
				}
				catch (Exception ex) {
					// not JSON: invalid handshake below
				}
				this.handshake.completeExceptionally(new NetronException("Invalid handshake: expected {\"type\":\"id\",...} from "
						+ RemotePeer.this.address + " but got " + abbreviate(text)));
				return;
			}
			logger.debug("Dropped text frame from {}: {}", describe(), abbreviate(text));
		}

		@Override
		public void onBinary(byte[] frame) {
			if (this.connecting && !this.handshake.isDone()) {
				this.handshake.completeExceptionally(new NetronException(
						"Invalid handshake: " + RemotePeer.this.address + " sent a binary frame before its id"));
				return;
			}
			onFrame(this, frame);
		}

		/** Starts tracking a request counted in flight. */
		ServedRequest track() {
			ServedRequest served = new ServedRequest(this);
			this.serving.add(served);
			if (this.closed) {
				served.end();
			}
			return served;
		}

		/** Gives back the in-flight counts of requests still being served. */
		void releaseServing() {
			this.closed = true;
			for (ServedRequest served : List.copyOf(this.serving)) {
				served.end();
			}
		}

		@Override
		public void onClose(int code, String reason) {
			this.handshake.completeExceptionally(new PeerDisconnectedException("Connection closed prematurely: "
					+ RemotePeer.this.address + " closed with code " + code + (reason.isEmpty() ? "" : " (" + reason + ")")));
			RemotePeer.this.onClose(this, code, reason);
		}

		private static String abbreviate(String text) {
			return (text.length() <= 80) ? text : text.substring(0, 80) + "...";
		}

	}

}
