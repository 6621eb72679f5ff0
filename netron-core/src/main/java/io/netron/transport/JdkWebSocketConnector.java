package io.netron.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.net.ssl.SSLContext;

import io.netron.core.Connection;
import io.netron.core.ConnectionListener;
import io.netron.core.MemoryBudget;
import io.netron.core.Connector;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client connections on the JDK's {@code java.net.http} WebSocket: no extra dependency, and,
 * with callbacks run directly on the client's selector thread, as fast as Netty for pipelined
 * RPC in our measurements (see DESIGN.md). The JDK allows one pending send per socket, so each
 * connection queues its frames (bounded) and sends them one after another; listener callbacks
 * never block.
 */
public final class JdkWebSocketConnector implements Connector, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(JdkWebSocketConnector.class);

	private final HttpClient client;

	private final int maxMessageSize;

	private final long sendBufferSize;

	/**
	 * A connector with limits on what one connection may receive and queue.
	 * @param maxMessageSize the largest message accepted from a server
	 * @param sendBufferSize the most bytes queued for one server before the connection is closed
	 */
	public JdkWebSocketConnector(int maxMessageSize, long sendBufferSize) {
		this(maxMessageSize, sendBufferSize, null);
	}

	/**
	 * A connector for {@code wss://} peers whose certificates the given TLS context trusts (and
	 * which presents its key to servers that ask for a client certificate).
	 * @param maxMessageSize the largest message accepted from a server
	 * @param sendBufferSize the most bytes queued for one server before the connection is closed
	 * @param sslContext the TLS context; {@code null} for the JDK's default trust
	 */
	public JdkWebSocketConnector(int maxMessageSize, long sendBufferSize, @Nullable SSLContext sslContext) {
		// callbacks on the selector thread: the listener only decodes and hands work to workers
		HttpClient.Builder builder = HttpClient.newBuilder().executor(Runnable::run);
		if (sslContext != null) {
			builder.sslContext(sslContext);
		}
		this.client = builder.build();
		this.maxMessageSize = maxMessageSize;
		this.sendBufferSize = sendBufferSize;
	}

	@Override
	public CompletableFuture<Connection> connect(URI uri, Duration timeout, ConnectionListener listener) {
		return connect(uri, timeout, Map.of(), listener);
	}

	@Override
	public CompletableFuture<Connection> connect(URI uri, Duration timeout, Map<String, String> headers,
			ConnectionListener listener) {
		JdkConnection connection = new JdkConnection(uri.getHost() + ":" + uri.getPort(), listener);
		WebSocket.Builder builder = this.client.newWebSocketBuilder().connectTimeout(timeout);
		try {
			headers.forEach(builder::header);
		}
		catch (IllegalArgumentException ex) {
			// the JDK refuses headers the WebSocket handshake sets itself (Host, Upgrade, Sec-WebSocket-*)
			return CompletableFuture.failedFuture(new IllegalArgumentException(
					"Cannot send handshake headers " + headers.keySet() + " to " + uri.getHost() + ": " + ex.getMessage(), ex));
		}
		return builder.buildAsync(uri, connection).thenApply((webSocket) -> connection);
	}

	@Override
	public void close() {
		// HttpClient has no close() before Java 21; its selector thread ends when it is unreachable
	}

	/** How long a failed send waits for the peer's close frame before the connection counts as lost (1006). */
	private static final long SEND_FAILURE_GRACE_MILLIS = 500;

	/** Longest text message read from a server (only the handshake travels as text). */
	private static final int MAX_TEXT = 64 * 1024;

	private final class JdkConnection implements Connection, WebSocket.Listener {

		private final String remoteAddress;

		private final ConnectionListener listener;

		private final Queue<Object> outbound = new ArrayDeque<>();

		private final MessageAssembly binary = new MessageAssembly(JdkWebSocketConnector.this.maxMessageSize);

		private final StringBuilder partialText = new StringBuilder();

		private volatile @Nullable WebSocket webSocket;

		private long queuedBytes;

		private boolean sending;

		private volatile boolean closed;

		/** A send failed: nothing more is sent, and the connection closes after a grace time. */
		private volatile boolean sendFailed;

		JdkConnection(String remoteAddress, ConnectionListener listener) {
			this.remoteAddress = remoteAddress;
			this.listener = listener;
		}

		@Override
		public void onOpen(WebSocket socket) {
			this.webSocket = socket;
			this.listener.onOpen(this);
			socket.request(1);
		}

		@Override
		public @Nullable CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
			switch (this.binary.part(this.listener, data.remaining(), last, (length) -> {
				byte[] part = new byte[length];
				data.get(part);
				return part;
			})) {
				case TOO_BIG -> {
					close(1009, "message larger than " + JdkWebSocketConnector.this.maxMessageSize + " bytes");
					return null;
				}
				case OVER_BUDGET -> {
					logger.warn("Closing connection to {}: the node is over its memory budget (netron.server.max-buffered-bytes) "
							+ "while a message of the server was assembled", this.remoteAddress);
					close(1013, "node over its memory budget");
				}
				default -> {
				}
			}
			socket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			if (this.partialText.length() + data.length() > MAX_TEXT) {
				// only the handshake travels as text, and it is short
				this.partialText.setLength(0);
				close(1009, "text message larger than " + MAX_TEXT + " characters");
				return null;
			}
			this.partialText.append(data);
			if (last) {
				String text = this.partialText.toString();
				this.partialText.setLength(0);
				this.listener.onText(text);
			}
			socket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onPing(WebSocket socket, ByteBuffer message) {
			// the JDK answers with a pong by itself
			this.listener.onPong();
			socket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onPong(WebSocket socket, ByteBuffer message) {
			this.listener.onPong();
			socket.request(1);
			return null;
		}

		@Override
		public void sendPing() {
			WebSocket socket = this.webSocket;
			if (socket == null || this.closed || this.sendFailed) {
				return;
			}
			try {
				socket.sendPing(ByteBuffer.allocate(0));
			}
			catch (RuntimeException ex) {
				// a ping still outstanding: the next one goes later
				logger.trace("Ping to {} not sent: {}", this.remoteAddress, ex.toString());
			}
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
			closed(statusCode, reason);
			return null;
		}

		@Override
		public void onError(WebSocket socket, Throwable error) {
			logger.debug("Connection to {} failed: {}", this.remoteAddress, error.toString());
			closed(1006, error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName());
		}

		private void closed(int code, String reason) {
			synchronized (this) {
				if (this.closed) {
					return;
				}
				this.closed = true;
				this.outbound.clear();
				this.queuedBytes = 0;
			}
			this.listener.onClose(code, reason);
		}

		@Override
		public void send(byte[] frame) {
			enqueue(frame, frame.length);
		}

		@Override
		public void sendText(String text) {
			enqueue(text, text.length());
		}

		private void enqueue(Object message, int size) {
			boolean start;
			synchronized (this) {
				if (this.closed || this.sendFailed) {
					return;
				}
				if (this.queuedBytes + size > JdkWebSocketConnector.this.sendBufferSize) {
					logger.warn("Disconnecting from {}: more than {} bytes wait to be sent (the server cannot keep up)",
							this.remoteAddress, JdkWebSocketConnector.this.sendBufferSize);
					start = false;
				}
				else {
					this.outbound.add(message);
					this.queuedBytes += size;
					start = !this.sending;
					this.sending = true;
					message = null;
				}
			}
			if (message != null) {
				close(1008, "send buffer overflow");
				return;
			}
			countOutbound();
			if (start) {
				sendNext();
			}
		}

		/**
		 * Tells the node's memory budget what waits to be sent: a server that does not read makes
		 * this node hold it, and past the budget the heaviest connection goes, maybe this one.
		 */
		private void countOutbound() {
			MemoryBudget.Account memory = this.listener.memory();
			if (memory != null) {
				memory.outbound(bufferedBytes());
			}
		}

		/** Sends queued frames one at a time; loops rather than recursing when sends complete at once. */
		private void sendNext() {
			while (true) {
				Object next;
				synchronized (this) {
					next = this.outbound.poll();
					if (next == null || this.closed || this.webSocket == null) {
						this.sending = false;
						next = null;
					}
					else {
						this.queuedBytes -= (next instanceof byte[] bytes) ? bytes.length : ((String) next).length();
					}
				}
				if (next == null) {
					countOutbound();
					return;
				}
				WebSocket socket = this.webSocket;
				CompletableFuture<WebSocket> sent;
				try {
					sent = (next instanceof byte[] bytes) ? socket.sendBinary(ByteBuffer.wrap(bytes), true)
							: socket.sendText((String) next, true);
				}
				catch (RuntimeException ex) {
					sent = CompletableFuture.failedFuture(ex);
				}
				if (sent.isDone() && !sent.isCompletedExceptionally()) {
					continue;
				}
				sent.whenComplete((ignored, failure) -> {
					if (failure != null) {
						logger.debug("Send to {} failed: {}", this.remoteAddress, failure.toString());
						onSendFailure(socket, failure);
						return;
					}
					sendNext();
				});
				return;
			}
		}

		/**
		 * A send failed: the connection is going, usually because the peer closed it. Frames the
		 * peer sent before, its close frame included, may still be in the input; they are given a
		 * moment to arrive (onClose then reports the peer's own code, 1001 when it shuts down)
		 * before the connection is reported lost with 1006.
		 */
		private void onSendFailure(WebSocket socket, Throwable failure) {
			synchronized (this) {
				this.sendFailed = true;
				this.sending = false;
				this.outbound.clear();
				this.queuedBytes = 0;
			}
			CompletableFuture.delayedExecutor(SEND_FAILURE_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)
				.execute(() -> {
					socket.abort();
					closed(1006, "send failed: " + failure.getMessage());
				});
		}

		@Override
		public void close(int code, String reason) {
			WebSocket socket = this.webSocket;
			if (socket != null && !socket.isOutputClosed()) {
				try {
					socket.sendClose(code, reason).whenComplete((ignored, failure) -> socket.abort());
				}
				catch (RuntimeException ex) {
					socket.abort();
				}
			}
			closed(code, reason);
		}

		@Override
		public synchronized long bufferedBytes() {
			return this.queuedBytes;
		}

		@Override
		public boolean isOpen() {
			WebSocket socket = this.webSocket;
			return !this.closed && !this.sendFailed && socket != null && !socket.isOutputClosed();
		}

		@Override
		public String remoteAddress() {
			return this.remoteAddress;
		}

	}

}
