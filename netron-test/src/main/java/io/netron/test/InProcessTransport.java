package io.netron.test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.netron.NetronException;
import io.netron.core.Connection;
import io.netron.core.ConnectionListener;
import io.netron.core.Connector;
import io.netron.core.Netron;
import org.jspecify.annotations.Nullable;

/**
 * Connects Netron nodes inside one JVM without sockets, for tests: a node {@link #serve serves}
 * under a name, and a node whose connector is this transport connects to {@code inproc://name}.
 * Frames go between the nodes as the bytes the codec made, so values behave as they do on the
 * wire (a record arrives as a new record, an unknown type fails the same way), and the serving
 * node runs its usual handshake, limits and memory budget. Each side receives its frames in
 * order, one at a time, on a thread of this transport, as from a WebSocket.
 *
 * <pre>{@code
 * try (InProcessTransport transport = new InProcessTransport();
 *      Netron server = new Netron(NetronOptions.defaults(), transport);
 *      Netron client = new Netron(NetronOptions.defaults(), transport)) {
 *   server.exposeService(new Calculator());
 *   URI address = transport.serve("calculator-node", server);
 *   RemotePeer peer = client.connect(address).join();
 * }
 * }</pre>
 */
public final class InProcessTransport implements Connector, AutoCloseable {

	/** The URI scheme of in-process addresses. */
	public static final String SCHEME = "inproc";

	private static final AtomicInteger TRANSPORTS = new AtomicInteger();

	private final Map<String, Netron> servers = new ConcurrentHashMap<>();

	private final Set<End> open = ConcurrentHashMap.newKeySet();

	private final ExecutorService delivery;

	private volatile boolean closed;

	/** Where other addresses go; {@code null} when they are refused. */
	private final @Nullable Connector fallback;

	/** A transport with its own delivery threads (daemons; closing it stops them). */
	public InProcessTransport() {
		this(null);
	}

	/**
	 * A transport that hands addresses other than {@code inproc://} to another connector (the JDK
	 * WebSocket client, for one), so that a node under test reaches real peers too. Closing the
	 * transport closes that connector when it is {@link AutoCloseable}.
	 * @param fallback where other addresses go; {@code null} to refuse them
	 */
	public InProcessTransport(@Nullable Connector fallback) {
		this.fallback = fallback;
		int number = TRANSPORTS.incrementAndGet();
		AtomicInteger threads = new AtomicInteger();
		this.delivery = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "netron-inprocess-" + number + "-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Serves a node under a name: connections to {@code inproc://name} are accepted by it.
	 * @param name the name, letters, digits, dots and dashes
	 * @param node the serving node
	 * @return the address to connect to
	 * @throws IllegalArgumentException when the name is not a valid host name or is taken
	 */
	public URI serve(String name, Netron node) {
		if (!name.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
			throw new IllegalArgumentException("Invalid in-process node name '" + name
					+ "': letters, digits, dots and dashes, as in a host name");
		}
		if (this.servers.putIfAbsent(name, node) != null) {
			throw new IllegalArgumentException("In-process node name '" + name + "' is taken");
		}
		return URI.create(SCHEME + "://" + name + "/netron");
	}

	/**
	 * Stops serving a name: later connections to it are refused; open ones stay.
	 * @param name the name
	 */
	public void stopServing(String name) {
		this.servers.remove(name);
	}

	/** {@return the connections open now, both sides counted} */
	public int openConnections() {
		return this.open.size();
	}

	@Override
	public CompletableFuture<Connection> connect(URI uri, Duration timeout, Map<String, String> headers,
			ConnectionListener listener) {
		if (!SCHEME.equals(uri.getScheme()) && this.fallback != null) {
			return this.fallback.connect(uri, timeout, headers, listener);
		}
		if (!headers.isEmpty()) {
			return CompletableFuture.failedFuture(new NetronException("Cannot connect to " + uri
					+ ": an in-process connection has no upgrade request to carry the headers " + headers.keySet()));
		}
		return connect(uri, timeout, listener);
	}

	@Override
	public CompletableFuture<Connection> connect(URI uri, Duration timeout, ConnectionListener listener) {
		if (!SCHEME.equals(uri.getScheme()) && this.fallback != null) {
			return this.fallback.connect(uri, timeout, listener);
		}
		if (!SCHEME.equals(uri.getScheme())) {
			return CompletableFuture.failedFuture(new NetronException("Cannot connect to " + uri
					+ ": the in-process transport connects to inproc://<name> only"));
		}
		if (this.closed) {
			return CompletableFuture.failedFuture(new NetronException("Cannot connect to " + uri
					+ ": the in-process transport is closed"));
		}
		String name = (uri.getHost() != null) ? uri.getHost() : String.valueOf(uri.getAuthority());
		Netron server = this.servers.get(name);
		if (server == null) {
			return CompletableFuture.failedFuture(new NetronException("Cannot connect to " + uri + ": no node serves '"
					+ name + "' in process (serving: " + String.join(", ", new TreeSet<>(this.servers.keySet())) + ")"));
		}
		End client = new End("in-process node '" + name + "'");
		End serving = new End("in-process client of '" + name + "'");
		client.other = serving;
		serving.other = client;
		this.open.add(client);
		this.open.add(serving);
		// the client hears that it is open before anything the server sends
		client.listen(listener, true);
		ConnectionListener accepted = server.accept(serving, queryParameter(uri, "id"), false);
		serving.listen(accepted, false);
		return CompletableFuture.completedFuture(client);
	}

	/** Closes every open connection (1001, going away) and stops the delivery threads. */
	@Override
	public void close() {
		this.closed = true;
		for (End end : this.open) {
			end.close(1001, "in-process transport closed");
		}
		this.servers.clear();
		this.delivery.shutdown();
		if (this.fallback instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Cannot close " + this.fallback, ex);
			}
		}
	}

	private static @Nullable String queryParameter(URI uri, String name) {
		String query = uri.getRawQuery();
		if (query == null) {
			return null;
		}
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0 && pair.substring(0, equals).equals(name)) {
				return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	/**
	 * One side of an in-process connection: what it sends is queued for the other side's
	 * listener, delivered in order by one task at a time.
	 */
	private final class End implements Connection {

		private final String remoteAddress;

		/** The other side, set once both exist. */
		private End other = this;

		private volatile @Nullable ConnectionListener listener;

		private final Queue<Consumer<ConnectionListener>> inbox = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean draining = new AtomicBoolean();

		/** Bytes sent to the other side and not yet delivered. */
		private final AtomicLong queued = new AtomicLong();

		private final AtomicBoolean closed = new AtomicBoolean();

		End(String remoteAddress) {
			this.remoteAddress = remoteAddress;
		}

		/** Starts delivering to {@code listener}, telling it first that the connection is open. */
		void listen(ConnectionListener listener, boolean announceOpen) {
			if (announceOpen) {
				this.inbox.add((receiver) -> receiver.onOpen(this));
			}
			this.listener = listener;
			drain();
		}

		private void receive(Consumer<ConnectionListener> message) {
			this.inbox.add(message);
			drain();
		}

		private void drain() {
			if (this.listener == null || !this.draining.compareAndSet(false, true)) {
				return;
			}
			try {
				InProcessTransport.this.delivery.execute(this::deliver);
			}
			catch (java.util.concurrent.RejectedExecutionException stopped) {
				this.draining.set(false);
			}
		}

		private void deliver() {
			ConnectionListener receiver = this.listener;
			try {
				Consumer<ConnectionListener> message;
				while (receiver != null && (message = this.inbox.poll()) != null) {
					message.accept(receiver);
				}
			}
			finally {
				this.draining.set(false);
				if (!this.inbox.isEmpty()) {
					drain();
				}
			}
		}

		@Override
		public void send(byte[] frame) {
			if (this.closed.get()) {
				return;
			}
			byte[] copy = frame.clone();
			this.queued.addAndGet(copy.length);
			this.other.receive((receiver) -> {
				this.queued.addAndGet(-copy.length);
				receiver.onBinary(copy);
			});
		}

		@Override
		public void sendText(String text) {
			if (!this.closed.get()) {
				this.other.receive((receiver) -> receiver.onText(text));
			}
		}

		@Override
		public void sendPing() {
			if (!this.closed.get()) {
				// the other side answers at once, as WebSocket endpoints do
				receive(ConnectionListener::onPong);
			}
		}

		@Override
		public void close(int code, String reason) {
			if (!this.closed.compareAndSet(false, true)) {
				return;
			}
			this.other.closed.set(true);
			InProcessTransport.this.open.remove(this);
			InProcessTransport.this.open.remove(this.other);
			receive((receiver) -> receiver.onClose(code, reason));
			this.other.receive((receiver) -> receiver.onClose(code, reason));
		}

		@Override
		public boolean isOpen() {
			return !this.closed.get();
		}

		@Override
		public long bufferedBytes() {
			return this.queued.get();
		}

		@Override
		public String remoteAddress() {
			return this.remoteAddress;
		}

	}

}
