package io.netron.core;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.netron.NetronException;
import io.netron.observation.DefaultNetronClientObservationConvention;
import io.netron.observation.DefaultNetronServerObservationConvention;
import io.netron.observation.NetronClientObservationContext;
import io.netron.observation.NetronClientObservationConvention;
import io.netron.observation.NetronRequestObservationContext;
import io.netron.observation.NetronServerObservationContext;
import io.netron.observation.NetronServerObservationConvention;
import io.netron.observation.DefaultNetronStreamObservationConvention;
import io.netron.observation.NetronStreamObservationContext;
import io.netron.observation.NetronStreamObservationConvention;
import io.netron.protocol.Definition;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.HandshakeFrame;
import io.netron.protocol.JsMap;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import io.netron.protocol.ServiceMetadata;
import io.netron.protocol.UInt32Sequence;
import io.netron.protocol.Undefined;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.backoff.ExponentialBackOff;

/**
 * A Netron node: it serves its {@link LocalPeer}'s services to the peers connected to it,
 * connects to other nodes ({@link #connect(String)}), runs tasks peers ask for, and emits
 * events they may subscribe to.
 */
public class Netron implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Netron.class);

	private final NetronOptions options;

	private final Connector connector;

	private final PacketCodec codec;

	private final ExecutorService workers;

	private final ScheduledExecutorService scheduler;

	private final boolean ownsExecutors;

	private final UInt32Sequence packetIds = new UInt32Sequence();

	private final UInt32Sequence streamIds = new UInt32Sequence();

	private final LocalPeer localPeer;

	private final TaskManager taskManager;

	private final EventBus events;

	/** Members whose result could not be sent, logged once each (bounded: the members of exposed services). */
	private final Set<String> unsendableMembers = ConcurrentHashMap.newKeySet();

	/** What all connections together may make this node hold ({@code limits().maxBufferedBytes()}). */
	private final MemoryBudget memory;

	/**
	 * Connected peers by direction and id: two nodes may connect to each other (or a node to
	 * itself), and each direction is its own connection.
	 */
	private final Map<String, RemotePeer> peers = new ConcurrentHashMap<>();

	private final List<RemotePeer> connectors = new CopyOnWriteArrayList<>();

	private final List<Runnable> serviceListeners = new CopyOnWriteArrayList<>();

	private volatile List<NetronContextBinder> contextBinders = List.of();

	private final List<NetronExceptionTranslator> exceptionTranslators = new CopyOnWriteArrayList<>();

	private static final DefaultNetronServerObservationConvention DEFAULT_SERVER_CONVENTION =
			new DefaultNetronServerObservationConvention();

	private static final DefaultNetronClientObservationConvention DEFAULT_CLIENT_CONVENTION =
			new DefaultNetronClientObservationConvention();

	private static final DefaultNetronStreamObservationConvention DEFAULT_STREAM_CONVENTION =
			new DefaultNetronStreamObservationConvention();

	/** Serves calls that come over no Netron connection; made when first needed. */
	private volatile @Nullable LocalInvoker localInvoker;

	/** Checks the credentials of the authenticate task, {@code null} for none. */
	private volatile @Nullable NetronAuthenticator authenticator;

	private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	/** The error names observed so far: at most a hundred distinct ones become tag values. */
	private final TagNames observedErrorNames = new TagNames(100);

	private volatile @Nullable NetronServerObservationConvention serverObservationConvention;

	private volatile @Nullable NetronClientObservationConvention clientObservationConvention;

	private volatile @Nullable NetronStreamObservationConvention streamObservationConvention;

	private volatile boolean closed;

	private volatile boolean draining;

	private volatile boolean acceptingConnections = true;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final java.util.concurrent.atomic.AtomicLong reconnectAttempts = new java.util.concurrent.atomic.AtomicLong();

	private volatile CompletableFuture<Void> drained = new CompletableFuture<>();

	/**
	 * A node with its own worker pool and scheduler, closed with the node.
	 * @param options the node's settings
	 * @param connector how the node connects to other nodes
	 */
	public Netron(NetronOptions options, Connector connector) {
		this(options, connector, new PacketCodec());
	}

	/**
	 * A node with its own codec (see {@link PacketCodec#withMapper}, to register Jackson modules)
	 * and the default executors, shut down with it.
	 * @param options the node's settings
	 * @param connector how it connects to peers
	 * @param codec how it writes and reads packets
	 */
	public Netron(NetronOptions options, Connector connector, PacketCodec codec) {
		this(options, connector, codec, defaultWorkers(options), defaultScheduler(options.id()), true);
	}

	/**
	 * A node on the given executors: service methods and tasks run on {@code workers}, never on
	 * transport threads; timeouts are scheduled on {@code scheduler}.
	 * @param options the node's settings
	 * @param connector how the node connects to other nodes
	 * @param codec the packet codec
	 * @param workers where service methods and tasks run
	 * @param scheduler where timeouts and sweeps run
	 */
	public Netron(NetronOptions options, Connector connector, PacketCodec codec, ExecutorService workers,
			ScheduledExecutorService scheduler) {
		this(options, connector, codec, workers, scheduler, false);
	}

	private Netron(NetronOptions options, Connector connector, PacketCodec codec, ExecutorService workers,
			ScheduledExecutorService scheduler, boolean ownsExecutors) {
		this.options = options;
		this.connector = connector;
		this.codec = codec;
		this.workers = workers;
		this.scheduler = scheduler;
		this.ownsExecutors = ownsExecutors;
		this.localPeer = new LocalPeer(this);
		this.taskManager = new TaskManager(options.taskTimeout(), options.taskOverwriteStrategy(), scheduler);
		this.events = new EventBus(workers, scheduler);
		this.memory = new MemoryBudget(options.limits().maxBufferedBytes());
		CoreTasks.register(this);
		long sweep = Math.max(10, Math.min(100, options.requestTimeout().toMillis() / 10));
		this.scheduler.scheduleWithFixedDelay(this::expireRequests, sweep, sweep, TimeUnit.MILLISECONDS);
		if (workers instanceof WorkerPool pool) {
			this.scheduler.scheduleWithFixedDelay(pool::adjust, 10, 10, TimeUnit.MILLISECONDS);
		}
		// send buffers drain without telling: what they hold is read again twice a second
		this.scheduler.scheduleWithFixedDelay(this.memory::refresh, 500, 500, TimeUnit.MILLISECONDS);
	}

	/** Fails requests whose timeout passed, on every peer. */
	private void expireRequests() {
		long now = System.nanoTime();
		try {
			// a peer is registered before it sends its first request, and its requests fail
			// when it closes: the connected peers hold every pending request
			for (RemotePeer peer : this.peers.values()) {
				peer.expireRequests(now);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Request timeout sweep failed", ex);
		}
	}

	private static ExecutorService defaultWorkers(NetronOptions options) {
		if (options.virtualThreadWorkers()) {
			ExecutorService virtual = VirtualThreadWorkers.create(10_000);
			if (virtual != null) {
				return virtual;
			}
			logger.warn("Virtual-thread workers need Java 21 or later; this runtime is Java {}: service methods run on a "
					+ "thread pool", Runtime.version().feature());
		}
		// as many threads as cores for short calls, growing to 64 (8 per core on bigger machines)
		// when blocked service methods hold them all; beyond 10,000 queued requests callers get
		// "overloaded"
		int cores = Runtime.getRuntime().availableProcessors();
		return new WorkerPool(Math.max(2, cores), Math.max(64, cores * 8), 10_000, threads("netron-worker-"));
	}

	private static ScheduledExecutorService defaultScheduler(String id) {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, threads("netron-timer-"));
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	private static ThreadFactory threads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/** {@return this node's id} */
	public String id() {
		return this.options.id();
	}

	/** {@return this node's settings} */
	public NetronOptions options() {
		return this.options;
	}

	/** {@return the services this node serves} */
	public LocalPeer localPeer() {
		return this.localPeer;
	}

	/** {@return the tasks peers may run on this node} */
	public TaskManager taskManager() {
		return this.taskManager;
	}

	/** {@return the packet codec} */
	public PacketCodec codec() {
		return this.codec;
	}

	/** {@return how many events were emitted on this node (its own and its peers'), in all} */
	public long eventsEmitted() {
		return this.events.emitted();
	}

	/** {@return how many reconnect attempts this node has made, in all} */
	public long reconnectAttempts() {
		return this.reconnectAttempts.get();
	}

	void countReconnectAttempt() {
		this.reconnectAttempts.incrementAndGet();
	}

	/** {@return the threads of the worker pool, or -1 when the workers are not a thread pool} */
	public int workerThreads() {
		return (this.workers instanceof java.util.concurrent.ThreadPoolExecutor pool) ? pool.getPoolSize() : -1;
	}

	/** {@return the requests queued for a worker, or -1 when the workers are not a thread pool} */
	public int queuedWork() {
		return (this.workers instanceof java.util.concurrent.ThreadPoolExecutor pool) ? pool.getQueue().size() : -1;
	}

	/** {@return the connected peers, both directions} */
	public Collection<RemotePeer> peers() {
		return List.copyOf(this.peers.values());
	}

	/**
	 * A connected peer by node id: the connection this node opened, else one the peer opened.
	 * @param id the peer's node id
	 * @return the peer, if connected
	 */
	public Optional<RemotePeer> peer(String id) {
		RemotePeer outgoing = this.peers.get(key(id, true));
		return Optional.ofNullable((outgoing != null) ? outgoing : this.peers.get(key(id, false)));
	}

	private static String key(String id, boolean outgoing) {
		return (outgoing ? "out:" : "in:") + id;
	}

	private static String key(RemotePeer peer) {
		return key(peer.id(), peer.address() != null);
	}

	/** {@return whether {@link #close()} was called} */
	public boolean isClosed() {
		return this.closed;
	}

	// ------------------------------------------------------------------ public operations

	/**
	 * Connects to another node ({@code ws://host:port/netron}). The future completes once the
	 * handshake and the {@code abilities} exchange are done, and fails with "Connection timeout",
	 * "Invalid handshake" or "Connection closed prematurely" as the seed does.
	 * @param uri the other node's endpoint, such as {@code ws://host:8080/netron}
	 * @return the connected peer
	 */
	public CompletableFuture<RemotePeer> connect(String uri) {
		return connect(URI.create(uri));
	}

	/**
	 * Connects to another node.
	 * @param uri the other node's endpoint
	 * @return the connected peer
	 */
	public CompletableFuture<RemotePeer> connect(URI uri) {
		return connect(uri, ConnectOptions.defaults());
	}

	/**
	 * Connects to another node, with a request timeout of its own for this peer.
	 * @param uri the other node's endpoint
	 * @param requestTimeout how long requests to this peer may take; {@code null} for the node's
	 * @return the connected peer
	 */
	public CompletableFuture<RemotePeer> connect(URI uri, @Nullable Duration requestTimeout) {
		return connect(uri, ConnectOptions.defaults().withRequestTimeout(requestTimeout));
	}

	/**
	 * Connects to another node, with settings of its own for this peer: request timeout,
	 * transport (TLS trust, for one) and handshake headers (credentials, for one).
	 * @param uri the other node's endpoint
	 * @param connectOptions how to connect to this peer
	 * @return the connected peer
	 */
	public CompletableFuture<RemotePeer> connect(URI uri, ConnectOptions connectOptions) {
		if (this.closed) {
			return CompletableFuture.failedFuture(new NetronException("Netron node " + id() + " is closed"));
		}
		if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && connectOptions.connector() == null) {
			return CompletableFuture.failedFuture(new NetronException("Cannot connect to " + uri
					+ ": an http:// peer is reached over the HTTP transport, with "
					+ "ConnectOptions.withConnector(new io.netron.transport.HttpConnector()) (Spring Boot does it for "
					+ "netron.peers.<name>.url)"));
		}
		RemotePeer peer = new RemotePeer(this, uri, connectOptions);
		this.connectors.add(peer);
		return peer.open().whenComplete((connected, failure) -> {
			if (failure != null) {
				this.connectors.remove(peer);
			}
		});
	}

	/**
	 * Disconnects a peer for good (no reconnect).
	 * @param peerId the peer's node id
	 */
	public void disconnect(String peerId) {
		for (boolean outgoing : new boolean[] { true, false }) {
			RemotePeer peer = this.peers.get(key(peerId, outgoing));
			if (peer != null) {
				peer.disconnect();
			}
		}
	}

	/**
	 * Exposes a service object to every peer.
	 * @param service an object of a {@code @NetronService} class
	 * @return the definition peers see
	 */
	public Definition exposeService(Object service) {
		return this.localPeer.exposeService(service);
	}

	/**
	 * Unexposes a service by qualified name.
	 * @param qualifiedName the service's qualified name
	 */
	public void unexposeService(String qualifiedName) {
		this.localPeer.unexposeService(qualifiedName);
	}

	/**
	 * Adds a task peers may run by name.
	 * @param name the task's name
	 * @param task what it does
	 * @return whether it was added (see the overwrite strategy)
	 */
	public boolean addTask(String name, Task task) {
		return this.taskManager.addTask(name, task);
	}

	/**
	 * Emits an event to this node's listeners and to the peers subscribed to it; completes when
	 * every listener ran and every subscribed peer acknowledged.
	 * @param event the event name
	 * @param args the event's arguments
	 * @return completes when every listener ran and every subscribed peer acknowledged
	 */
	public CompletableFuture<Void> emit(String event, @Nullable Object... args) {
		return this.events.emit(event, Arrays.asList(args));
	}

	/**
	 * Listens to an event of this node; the same listener added twice is called once.
	 * @param event the event name
	 * @param listener called with the event's arguments
	 * @return closes to remove the listener
	 */
	public Subscription on(String event, NetronEventListener listener) {
		this.events.on(event, listener, (args) -> {
			try {
				listener.onEvent(args);
			}
			catch (Exception ex) {
				// rethrown: the bus logs it, a line a second at most
				throw (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
			}
			return null;
		});
		return () -> this.events.off(event, listener);
	}

	/**
	 * Called after every expose and unexpose (service discovery rewrites its list).
	 * @param listener called after each change
	 * @return closes to remove the listener
	 */
	public Subscription onServicesChanged(Runnable listener) {
		this.serviceListeners.add(listener);
		return () -> this.serviceListeners.remove(listener);
	}

	/**
	 * Binds something more to the thread while a request is served, such as a security context.
	 * Binders run in the order they were added, and their bindings are undone in reverse.
	 * @param binder the binder
	 */
	public synchronized void addContextBinder(NetronContextBinder binder) {
		List<NetronContextBinder> binders = new ArrayList<>(this.contextBinders);
		binders.add(binder);
		this.contextBinders = List.copyOf(binders);
	}

	/**
	 * Lets a translator choose the error a failed request is answered with; translators are asked
	 * in the order they were added, and the first answer counts.
	 * @param translator the translator
	 */
	public void addExceptionTranslator(NetronExceptionTranslator translator) {
		this.exceptionTranslators.add(translator);
	}

	/** The context of a request a peer sent on {@code link}. */
	NetronContext context(RemotePeer caller, PeerLink link, long requestId, PacketType type,
			@Nullable String service, String member) {
		Connection connection = link.connection;
		return new NetronContext(caller.id(), (connection != null) ? connection.remoteAddress() : "", link.principal(),
				type, service, member, this.contextBinders, requestId);
	}

	/**
	 * Calls a method of a service this node serves for a caller that came over no Netron connection,
	 * such as the HTTP transport: the service is found by name ({@code name@version}, a semver range,
	 * or the name alone for its highest version), and the call gets the same argument conversion,
	 * {@link NetronContext}, security binding, observation and shutdown accounting as a call over a
	 * WebSocket. It runs on the calling thread (a blocking method blocks it).
	 * @param service the service's name
	 * @param method the method's name
	 * @param args the arguments, as decoded values (maps, lists, strings, numbers, booleans, {@code null})
	 * @param principal who the caller authenticated as, {@code null} when anonymous
	 * @param remoteAddress the caller's address, for the context and logs
	 * @param transport what the caller came over, such as {@code http}: the context's peer id
	 * @return the result; fails with a {@link io.netron.protocol.TitanError} carrying an HTTP-like code
	 * for Netron's refusals (404 unknown service or method, 400 arguments that do not fit or a result
	 * only a connection can take, 403 denied, 503 shutting down), with a {@link JsError} for a
	 * service's own exception
	 */
	public CompletableFuture<@Nullable Object> invokeLocal(String service, String method, List<@Nullable Object> args,
			@Nullable Principal principal, String remoteAddress, String transport) {
		LocalInvoker invoker = this.localInvoker;
		if (invoker == null) {
			synchronized (this) {
				invoker = this.localInvoker;
				if (invoker == null) {
					invoker = new LocalInvoker(this);
					this.localInvoker = invoker;
				}
			}
		}
		return invoker.invoke(service, method, args, principal, remoteAddress, transport);
	}

	List<NetronContextBinder> contextBinders() {
		return this.contextBinders;
	}

	/**
	 * Checks the credentials of the {@code authenticate} task (Titan generation); without one the
	 * task answers 503 "Authentication not configured", as a Titan node does.
	 * @param authenticator the authenticator, {@code null} for none
	 */
	public void setAuthenticator(@Nullable NetronAuthenticator authenticator) {
		this.authenticator = authenticator;
	}

	/** {@return what checks credentials of the authenticate task and the HTTP transport, {@code null} for nothing} */
	public @Nullable NetronAuthenticator authenticator() {
		return this.authenticator;
	}

	/**
	 * Observes requests with Micrometer: {@code netron.server.requests} for those this node serves,
	 * {@code netron.client.requests} for those it sends (timers, and spans with a tracer).
	 * @param registry the registry; {@link ObservationRegistry#NOOP} (the default) observes nothing
	 */
	public void setObservationRegistry(ObservationRegistry registry) {
		this.observationRegistry = registry;
	}

	/**
	 * Replaces the default convention of {@code netron.server.requests} observations.
	 * @param convention the convention, {@code null} for {@link DefaultNetronServerObservationConvention}
	 */
	public void setServerObservationConvention(@Nullable NetronServerObservationConvention convention) {
		this.serverObservationConvention = convention;
	}

	/**
	 * Replaces the default convention of {@code netron.client.requests} observations.
	 * @param convention the convention, {@code null} for {@link DefaultNetronClientObservationConvention}
	 */
	public void setClientObservationConvention(@Nullable NetronClientObservationConvention convention) {
		this.clientObservationConvention = convention;
	}

	/**
	 * The tag value of an error's name in observations: the name itself for the first hundred
	 * distinct names, {@code other} after (a peer chooses the names of the errors it answers with).
	 */
	@Nullable String observedErrorName(@Nullable String name) {
		return this.observedErrorNames.of(name);
	}

	/** {@return whether requests and streams are observed (an observation registry was set)} */
	boolean isObserving() {
		return !this.observationRegistry.isNoop();
	}

	/** A started observation of a request being served that came over {@code transport}, or the no-op one. */
	Observation observeServed(NetronContext request, String transport) {
		return observeServed(request, transport, request.member());
	}

	/**
	 * A started observation of a request being served that came over {@code transport}, or the no-op one.
	 * @param member the member or task name to observe it under: the request's own when known
	 * here, {@code unknown} otherwise (a name a caller made up would be a meter of its own)
	 */
	Observation observeServed(NetronContext request, String transport, String member) {
		return observe(this.serverObservationConvention, DEFAULT_SERVER_CONVENTION, () -> {
			NetronServerObservationContext context = new NetronServerObservationContext(request.type(), request.service(),
					member, request.peerId());
			context.setTransport(transport);
			return context;
		});
	}

	/**
	 * Replaces the default convention of {@code netron.streams} observations.
	 * @param convention the convention, {@code null} for {@link DefaultNetronStreamObservationConvention}
	 */
	public void setStreamObservationConvention(@Nullable NetronStreamObservationConvention convention) {
		this.streamObservationConvention = convention;
	}

	/** A started observation of a stream, or the no-op one. */
	Observation observeStream(boolean reading, String peerId) {
		return observe(this.streamObservationConvention, DEFAULT_STREAM_CONVENTION,
				() -> new NetronStreamObservationContext(reading, peerId));
	}

	/** A started observation of a request being sent, or the no-op one. */
	Observation observeSent(PacketType type, @Nullable String service, String member, String peerId) {
		return observe(this.clientObservationConvention, DEFAULT_CLIENT_CONVENTION,
				() -> new NetronClientObservationContext(type, service, member, peerId));
	}

	/** A started observation with the application's convention, else the default; the no-op one without a registry. */
	private <C extends Observation.Context> Observation observe(@Nullable ObservationConvention<C> convention,
			ObservationConvention<C> defaultConvention, Supplier<C> context) {
		ObservationRegistry registry = this.observationRegistry;
		if (registry.isNoop()) {
			return Observation.NOOP;
		}
		return Observation.createNotStarted(convention, defaultConvention, context, registry).start();
	}

	/**
	 * Accepts a connection from a peer that gave its id with {@code ?id=}: sends the handshake
	 * frame and returns the listener the transport hands the connection's frames to.
	 * @param connection the accepted connection
	 * @param peerId the node id the peer connected with
	 * @return what the transport hands the connection's frames and close to
	 */
	public ConnectionListener accept(Connection connection, String peerId) {
		return accept(connection, peerId, false);
	}

	/**
	 * Accepts a connection from a peer of either generation. The peer's first frame decides: a
	 * {@code {"type":"client-id","id":...}} frame (text or binary) makes a Titan-generation
	 * connection under that id, which wins over {@code ?id=}; a packet makes a seed-era connection
	 * under the {@code ?id=} id, and without one the connection is closed (1008). A connection
	 * without {@code ?id=} whose client-id does not come within the connect timeout is closed too.
	 * @param connection the accepted connection
	 * @param peerId the node id of the {@code ?id=} query parameter, {@code null} when there was none
	 * @param titanClient whether the upgrade announced a Titan client (its {@code x-netron-id}
	 * header): its id frame is then sent as a Titan server sends it (see {@link PeerLink#sendIdFrame})
	 * @return what the transport hands the connection's frames and close to
	 */
	public ConnectionListener accept(Connection connection, @Nullable String peerId, boolean titanClient) {
		boolean identified = peerId != null && !peerId.isEmpty();
		String problem = identified ? HandshakeFrame.idProblem(peerId) : null;
		if (problem != null) {
			// said without the id itself, which could break the log line
			logger.warn("Refused a connection from {}: its ?id= has {}", connection.remoteAddress(), problem);
			connection.close(1008, "invalid peer id");
			return ConnectionListener.ignoring();
		}
		if (identified) {
			String conflict = identityConflict(peerId, connection.principal(), connection.remoteHost());
			if (conflict != null) {
				logger.warn("Refused a connection from {}: {}", connection.remoteAddress(), conflict);
				connection.close(1008, "node id already connected");
				return ConnectionListener.ignoring();
			}
		}
		RemotePeer peer = new RemotePeer(this, identified ? peerId : "");
		PeerLink link = peer.attachAccepted(connection);
		link.undecided = true;
		link.sendIdFrame(this, handshakeFrame(), titanClient);
		if (identified) {
			registerAccepted(peer);
			peerConnected(peer);
		}
		else {
			link.expectClientId(this);
		}
		return link;
	}

	/** An accepted peer is known by its id now: the newest connection under an id is the one found by it. */
	void registerAccepted(RemotePeer peer) {
		RemotePeer previous = this.peers.put(key(peer.id(), false), peer);
		if (previous != null && previous != peer) {
			// the same caller (same principal, or the same host when unauthenticated) connected
			// again: the newest connection is the one found by id, as in the TypeScript Netron; the
			// earlier one keeps serving until it closes
			logger.debug("Peer {} opened another connection", peer.id());
		}
	}

	/** An accepted peer's client-id named another id than its {@code ?id=}: it is known by the client-id's. */
	void rekeyAccepted(RemotePeer peer, String previousId) {
		if (this.peers.remove(key(previousId, false), peer)) {
			this.events.emitSpecial(NetronEvents.PEER_DISCONNECT, "peer:" + previousId, Map.of("peerId", previousId));
		}
		registerAccepted(peer);
		peerConnected(peer);
	}

	/**
	 * Whether a connection claiming {@code peerId} must be refused because another caller holds
	 * that id: a second connection under an id already connected is accepted only from the same
	 * authenticated principal or, when neither is authenticated, from the same host. Otherwise a
	 * client could take over the first one's place (found by id) and release what it holds.
	 * @param peerId the id the new connection claims
	 * @param principal who the new connection authenticated as, {@code null} if it did not
	 * @param remoteHost the new connection's remote IP address
	 * @return why the connection is refused, or {@code null} when it may connect
	 */
	public @Nullable String identityConflict(String peerId, @Nullable Principal principal, String remoteHost) {
		RemotePeer existing = this.peers.get(key(peerId, false));
		if (existing == null || !existing.isConnected()) {
			return null;
		}
		Principal holder = existing.principal();
		if (holder != null || principal != null) {
			if (holder != null && principal != null && holder.getName().equals(principal.getName())) {
				return null;
			}
			return "node id '" + peerId + "' is already connected as "
					+ ((holder != null) ? "principal '" + holder.getName() + "'" : "an unauthenticated peer")
					+ ", and this connection is " + ((principal != null) ? "principal '" + principal.getName() + "'"
							: "not authenticated");
		}
		String holderHost = existing.remoteHost();
		if (holderHost == null || holderHost.equals(remoteHost)) {
			return null;
		}
		return "node id '" + peerId + "' is already connected from another host (" + holderHost + ")";
	}

	/**
	 * {@code {"type":"id","id":"<node id>"}}: the first frame to a connecting peer.
	 * @return the frame's JSON text
	 */
	public String handshakeFrame() {
		return HandshakeFrame.serverId(id()).toJson();
	}

	/**
	 * Starts refusing new requests ("shutting down") and completes once the requests in flight
	 * have been answered, or after {@code timeout}.
	 * @param timeout how long to wait for the requests in flight
	 * @return completes when they were answered, or at the timeout
	 */
	public CompletableFuture<Void> drain(Duration timeout) {
		this.draining = true;
		this.acceptingConnections = false;
		if (this.inFlight.get() == 0) {
			this.drained.complete(null);
		}
		return this.drained.copy().completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ignored, failure) -> {
			int left = this.inFlight.get();
			if (left > 0) {
				logger.warn("Netron node {} stopped waiting for {} request(s) still in flight after {}", id(), left, timeout);
			}
		});
	}

	/**
	 * Serves requests again after {@link #drain(Duration)}: a node stopped and started again (a
	 * Spring context paused and resumed, as the test framework does with the contexts it caches).
	 * Connections are accepted once {@link #setAcceptingConnections(boolean) allowed} again.
	 * @throws IllegalStateException when the node was closed
	 */
	public synchronized void resume() {
		if (this.closed) {
			throw new IllegalStateException("Netron node " + id() + " is closed and cannot serve again");
		}
		if (this.draining) {
			this.drained = new CompletableFuture<>();
			this.draining = false;
		}
	}

	/**
	 * Closes every connection peers opened to this node with 1001 ("going away") once what is
	 * queued for it was sent (waiting at most {@code flushTimeout}), so that peers reconnect
	 * elsewhere rather than see the connection drop. Called after {@link #drain(Duration)}.
	 * @param flushTimeout how long each connection may take to send what is queued
	 * @return completes when every connection closed
	 */
	public CompletableFuture<Void> goAway(Duration flushTimeout) {
		List<CompletableFuture<Void>> closing = new ArrayList<>();
		for (RemotePeer peer : this.peers.values()) {
			if (peer.address() == null) {
				closing.add(peer.goAway(flushTimeout));
			}
		}
		return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]));
	}

	/**
	 * Whether peers may connect now. A node whose services are not exposed yet says no (the
	 * endpoint closes with 1013, "try again later"), so that a peer never learns an empty
	 * service list from a node that is still starting.
	 * @return whether the endpoint accepts peers now
	 */
	public boolean isAcceptingConnections() {
		return this.acceptingConnections && !this.draining && !this.closed;
	}

	/**
	 * Sets whether peers may connect (see {@link #isAcceptingConnections()}).
	 * @param accepting whether the endpoint accepts peers
	 */
	public void setAcceptingConnections(boolean accepting) {
		this.acceptingConnections = accepting;
	}

	/** {@return whether the node refuses new requests because it is shutting down} */
	public boolean isDraining() {
		return this.draining;
	}

	/** {@return the requests this node is serving right now} */
	public int requestsInFlight() {
		return this.inFlight.get();
	}

	boolean beginRequest() {
		this.inFlight.incrementAndGet();
		if (this.draining) {
			endRequest();
			return false;
		}
		return true;
	}

	void endRequest() {
		if (this.inFlight.decrementAndGet() == 0 && this.draining) {
			this.drained.complete(null);
		}
	}

	/** Disconnects every peer and stops the node's executors if it owns them. */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		List<RemotePeer> all = new ArrayList<>(this.peers.values());
		all.addAll(this.connectors);
		for (RemotePeer peer : all) {
			try {
				peer.disconnect();
			}
			catch (RuntimeException ex) {
				logger.debug("Disconnecting {} failed", peer, ex);
			}
		}
		if (this.ownsExecutors) {
			this.workers.shutdown();
			this.scheduler.shutdownNow();
		}
	}

	// ------------------------------------------------------------------ engine internals

	ExecutorService workers() {
		return this.workers;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	Connector connector() {
		return this.connector;
	}

	UInt32Sequence packetIds() {
		return this.packetIds;
	}

	UInt32Sequence streamIds() {
		return this.streamIds;
	}

	Set<String> unsendableMembers() {
		return this.unsendableMembers;
	}

	/** {@return the node-wide budget of what peers may make this node hold} */
	public MemoryBudget memory() {
		return this.memory;
	}

	EventBus events() {
		return this.events;
	}

	ExponentialBackOff reconnectBackOff() {
		NetronOptions.Reconnect reconnect = this.options.reconnect();
		ExponentialBackOff backOff = new ExponentialBackOff(reconnect.initialDelay().toMillis(), 2.0);
		backOff.setMaxInterval(reconnect.maxDelay().toMillis());
		if (reconnect.maxAttempts() > 0) {
			backOff.setMaxAttempts(reconnect.maxAttempts());
		}
		return backOff;
	}

	void register(RemotePeer peer) {
		RemotePeer previous = this.peers.put(key(peer), peer);
		if (previous != null && previous != peer) {
			logger.debug("Peer {} replaced an earlier connection with the same id", peer.id());
		}
	}

	void forget(RemotePeer peer) {
		this.peers.remove(key(peer), peer);
		this.connectors.remove(peer);
	}

	void peerConnected(RemotePeer peer) {
		if (logger.isInfoEnabled()) {
			logger.info("{} peer {} ({})", peer.isOutgoing() ? "Connected to" : "Accepted", peer.id(),
					peer.isOutgoing() ? peer.address() : peer.remoteAddress());
		}
		this.events.emitSpecial(NetronEvents.PEER_CONNECT, "peer:" + peer.id(), Map.of("peerId", peer.id()));
	}

	void peerDisconnected(RemotePeer peer) {
		this.peers.remove(key(peer), peer);
		this.events.emitSpecial(NetronEvents.PEER_DISCONNECT, "peer:" + peer.id(), Map.of("peerId", peer.id()));
	}

	void servicesChanged() {
		for (Runnable listener : this.serviceListeners) {
			try {
				listener.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Service change listener failed", ex);
			}
		}
	}

	/**
	 * The error sent to a peer for a failure: a {@link JsError} as it is, a remote error as it
	 * came, any other exception as an {@code Error} named after its class. The stack is
	 * {@code "Name: message"}, followed by Java frames only when the options ask for them.
	 */
	JsError toJsError(Throwable failure, @Nullable NetronContext context) {
		Throwable cause = Failures.unwrap(failure);
		if (cause instanceof RemoteInvocationException remote) {
			return remote.error();
		}
		if (cause instanceof Refusal || cause instanceof io.netron.protocol.TitanError) {
			// Netron's own refusal, or a service's TitanError: the connection's dialect gives it its
			// generation's form
			return (JsError) cause;
		}
		JsError error = (context != null) ? translate(cause, context) : null;
		if (error != null) {
			// a translated error is the whole answer: no stack frames of the refused call
			return (error.stack() != null) ? error : error.withStack(error.name() + ": " + error.getMessage());
		}
		if (cause instanceof JsError js) {
			error = js;
		}
		else {
			String name = (cause instanceof NetronException) ? "Error" : cause.getClass().getSimpleName();
			String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getName();
			error = new JsError(JsErrorType.ERROR, name, message, null, Map.of());
		}
		if (error.stack() != null && !(this.options.includeStackFrames() && error.hasBareStack())) {
			return error;
		}
		StringBuilder stack = new StringBuilder(error.name()).append(": ").append(error.getMessage());
		if (this.options.includeStackFrames()) {
			for (StackTraceElement frame : cause.getStackTrace()) {
				stack.append("\n    at ").append(frame);
			}
		}
		return error.withStack(stack.toString());
	}

	private @Nullable JsError translate(Throwable cause, NetronContext context) {
		for (NetronExceptionTranslator translator : this.exceptionTranslators) {
			JsError error = translator.translate(cause, context);
			if (error != null) {
				return error;
			}
		}
		return null;
	}

	/** A registration that can be undone. */
	@FunctionalInterface
	public interface Subscription extends AutoCloseable {

		/** Removes the registration. */
		@Override
		void close();

	}

	/** The built-in tasks of the protocol. */
	static final class CoreTasks {

		private CoreTasks() {
		}

		static void register(Netron netron) {
			TaskManager tasks = netron.taskManager;
			tasks.addTask("abilities", (peer, args) -> {
				peer.setAbilities(args.isEmpty() ? null : args.get(0));
				Map<String, Object> result = new LinkedHashMap<>();
				JsMap services = new JsMap();
				services.putAll(netron.localPeer.services());
				result.put("services", services);
				result.put("allowServiceEvents", netron.options.allowServiceEvents());
				return result;
			});
			tasks.addTask("subscribe", (peer, args) -> {
				String event = stringArg(args, 0, "subscribe", "eventName");
				if (!netron.options.policy().maySubscribe(event)) {
					throw JsError.named(RemoteAccessDeniedException.ERROR_NAME, "Access denied to event '" + event
							+ "': peers may not subscribe to it on node " + netron.id() + " (netron.subscribable-events)");
				}
				peer.events().addRemoteSubscription(event);
				return Undefined.INSTANCE;
			});
			tasks.addTask("unsubscribe", (peer, args) -> {
				peer.events().removeRemoteSubscription(stringArg(args, 0, "unsubscribe", "eventName"));
				return Undefined.INSTANCE;
			});
			tasks.addTask("emit", (peer, args) -> {
				peer.events().deliver(stringArg(args, 0, "emit", "eventName"), args.subList(1, args.size()));
				return Undefined.INSTANCE;
			});
			tasks.addTask("expose_service",
					(peer, args) -> netron.localPeer.exposeRemoteService(peer,
							ServiceMetadata.fromWire(args.isEmpty() ? null : args.get(0))));
			tasks.addTask("unexpose_service", (peer, args) -> netron.localPeer.unexposeRemoteService(peer,
					stringArg(args, 0, "unexpose_service", "serviceName")));
			tasks.addTask("query_interface", (peer, args) -> queryInterface(netron,
					stringArg(args, 0, "query_interface", "serviceName")));
			tasks.addTask("invalidate_cache", (peer, args) -> peer.invalidateCache(
					(!args.isEmpty() && args.get(0) instanceof String pattern) ? pattern
							: (!args.isEmpty() && args.get(0) instanceof Map<?, ?> options
									&& options.get("pattern") instanceof String pattern) ? pattern : null));
			tasks.addTask("authenticate", (peer, args) -> authenticate(netron, peer,
					(!args.isEmpty() && args.get(0) instanceof Map<?, ?> credentials) ? credentials : Map.of()));
			tasks.addTask("unref_service", (peer, args) -> {
				netron.localPeer.unrefService(stringArg(args, 0, "unref_service", "defId"), peer);
				return Undefined.INSTANCE;
			});
		}

		/**
		 * The {@code query_interface} task: the definition of a top-level service by exact name,
		 * versionless (the highest version) or, beyond Titan, a semver range.
		 */
		private static Definition queryInterface(Netron netron, String serviceName) {
			Map<String, Definition> services = netron.localPeer.services();
			String key = VersionResolver.resolve(services, serviceName);
			if (key == null) {
				Map<String, @Nullable Object> details = new LinkedHashMap<>();
				details.put("serviceName", serviceName);
				throw Refusal.of(JsError.of(JsErrorType.ERROR, "Unknown service: " + serviceName + "."), Refusal.NOT_FOUND,
						"Service '" + serviceName + "' not found", details);
			}
			return services.get(key);
		}

		/**
		 * The {@code authenticate} task: {@code {success, context}} with the principal bound to the
		 * connection, {@code {success: false, error}} when refused, 503 without an authenticator.
		 */
		private static Map<String, @Nullable Object> authenticate(Netron netron, RemotePeer peer, Map<?, ?> credentials) {
			NetronAuthenticator authenticator = netron.authenticator;
			if (authenticator == null || !authenticator.available()) {
				Map<String, @Nullable Object> details = new LinkedHashMap<>();
				details.put("hint", "Define a Spring Security AuthenticationManager or JwtDecoder bean, or set "
						+ "Netron.setAuthenticator");
				throw Refusal.of(JsError.of(JsErrorType.ERROR, "Authentication not configured"), Refusal.SERVICE_UNAVAILABLE,
						"Authentication not configured", details);
			}
			Map<String, @Nullable Object> copy = new LinkedHashMap<>();
			credentials.forEach((key, value) -> copy.put(String.valueOf(key), value));
			Map<String, @Nullable Object> result = new LinkedHashMap<>();
			try {
				NetronAuthenticator.Authenticated authenticated = authenticator.authenticate(copy);
				peer.authenticated(authenticated.principal());
				result.put("success", true);
				result.put("context", authenticated.context());
				logger.debug("Peer {} authenticated as '{}'", peer.id(), authenticated.principal().getName());
			}
			catch (Exception ex) {
				logger.debug("Peer {} failed to authenticate: {}", peer.id(), ex.toString());
				result.put("success", false);
				result.put("error", (ex.getMessage() != null) ? ex.getMessage() : "Authentication failed");
			}
			return result;
		}

		private static String stringArg(List<@Nullable Object> args, int index, String task, String name) {
			if (index < args.size() && args.get(index) instanceof String value) {
				return value;
			}
			throw JsError.of(JsErrorType.TYPE_ERROR, "Task " + task + ": argument " + (index + 1) + " (" + name
					+ ") must be a string");
		}

	}

}
