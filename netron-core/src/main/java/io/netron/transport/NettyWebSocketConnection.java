package io.netron.transport;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netron.core.Connection;
import io.netron.core.ConnectionListener;
import io.netron.core.MemoryBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket of Reactor Netty, server or client side, as a Netron connection. Frames sent
 * from any thread join one queue, in the order they were sent, which the channel's event loop
 * writes out with one flush for all it finds: the answers to a burst of requests read together,
 * or given by workers meanwhile, leave in one write, without blocking anyone. Messages in parts are assembled here, drawn
 * from the node's memory budget, up to the maximum message size (1009 beyond it, 1013 when the
 * budget has no room). A peer that lets more than the send buffer wait is dropped as one that
 * cannot keep up.
 */
final class NettyWebSocketConnection implements Connection {

	private static final Logger logger = LoggerFactory.getLogger(NettyWebSocketConnection.class);

	/** Longest text message read (only the handshake travels as text). */
	private static final int MAX_TEXT = 64 * 1024;

	/** How long a close frame may take to leave before the channel is closed without it. */
	private static final long CLOSE_GRACE_MILLIS = 1000;

	private final Channel channel;

	private final String peer;

	private final String remoteAddress;

	private final String remoteHost;

	private final @Nullable Principal principal;

	private final int maxMessageSize;

	private final long sendBufferSize;

	private final AtomicBoolean dropped = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Frames (and the close) in the order they were sent, not yet handed to the channel. */
	private final Queue<Object> queue = new ConcurrentLinkedQueue<>();

	private final AtomicLong queuedBytes = new AtomicLong();

	/** Whether a drain of the queue is scheduled or running on the event loop. */
	private final AtomicBoolean draining = new AtomicBoolean();

	private volatile ConnectionListener listener = ConnectionListener.ignoring();

	private volatile MemoryBudget.@Nullable Account memory;

	/** Closed for what the peer did (any close but 1000 and 1001): its frames are dropped until the channel goes. */
	private volatile boolean refusing;

	// what follows is touched on the channel's event loop only

	private final MessageAssembly binary;

	private @Nullable StringBuilder partialText;

	/** A text message was refused (too big) and the connection is closing: what follows is dropped. */
	private boolean discardingText;

	NettyWebSocketConnection(Channel channel, String peer, String remoteAddress,
			String remoteHost, @Nullable Principal principal, int maxMessageSize, long sendBufferSize) {
		this.channel = channel;
		this.peer = peer;
		this.remoteAddress = remoteAddress;
		this.remoteHost = remoteHost;
		this.principal = principal;
		this.maxMessageSize = maxMessageSize;
		this.sendBufferSize = sendBufferSize;
		this.binary = new MessageAssembly(maxMessageSize);
	}

	/**
	 * Hands the connection's events to the engine's listener, and lets its memory account see what
	 * waits to be sent.
	 * @param listener the engine's listener of this connection
	 */
	void attach(ConnectionListener listener) {
		this.listener = listener;
		MemoryBudget.Account account = listener.memory();
		if (account != null) {
			account.outboundSource(this::bufferedBytes);
			this.memory = account;
		}
	}

	/** {@return the memory account of the connection, once the engine accepted it} */
	MemoryBudget.@Nullable Account memory() {
		return this.memory;
	}

	/** A frame arrived (on the event loop; Reactor Netty releases it when this returns). */
	void onFrame(WebSocketFrame frame) {
		if (this.refusing) {
			// closed for what the peer did: what it still sends until its close frame is dropped
			return;
		}
		if (frame instanceof PongWebSocketFrame || frame instanceof PingWebSocketFrame) {
			this.listener.onPong();
		}
		else if (frame instanceof BinaryWebSocketFrame) {
			this.partialText = null;
			binaryPart(frame.content(), frame.isFinalFragment());
		}
		else if (frame instanceof TextWebSocketFrame) {
			this.partialText = new StringBuilder();
			textPart(frame.content(), frame.isFinalFragment());
		}
		else if (frame instanceof ContinuationWebSocketFrame) {
			if (this.partialText != null) {
				textPart(frame.content(), frame.isFinalFragment());
			}
			else {
				binaryPart(frame.content(), frame.isFinalFragment());
			}
		}
	}

	private void binaryPart(ByteBuf content, boolean last) {
		switch (this.binary.part(this.listener, content.readableBytes(), last, (length) -> {
			byte[] part = new byte[length];
			content.readBytes(part);
			return part;
		})) {
			case TOO_BIG -> {
				logger.warn("Closing connection with {}: a message exceeds the {}-byte limit (netron.server.max-message-size)",
						this.remoteAddress, this.maxMessageSize);
				close(1009, "message larger than " + this.maxMessageSize + " bytes");
			}
			case OVER_BUDGET -> {
				logger.warn("Closing connection with {}: the node is over its memory budget "
						+ "(netron.server.max-buffered-bytes) with {} bytes of a message assembled", this.remoteAddress,
						this.binary.assembledWhenRefused());
				close(1013, "node over its memory budget, try again later");
			}
			default -> {
			}
		}
	}

	private void textPart(ByteBuf content, boolean last) {
		StringBuilder text = this.partialText;
		if (text == null || this.discardingText) {
			return;
		}
		if (text.length() + content.readableBytes() > MAX_TEXT) {
			this.discardingText = true;
			this.partialText = null;
			close(1009, "text message larger than 64 KB");
			return;
		}
		text.append(content.toString(StandardCharsets.UTF_8));
		if (last) {
			this.partialText = null;
			this.listener.onText(text.toString());
		}
	}

	/**
	 * The WebSocket closed: the engine is told once.
	 * @param code the close code (1006 when the connection was lost without one)
	 * @param reason the reason
	 */
	void closed(int code, @Nullable String reason) {
		if (this.closed.compareAndSet(false, true)) {
			// frames that still wait to be written go with the connection, and their count with them;
			// a close still waiting runs (its close frame may still reach the peer)
			Object item;
			while ((item = this.queue.poll()) != null) {
				if (item instanceof WebSocketFrame frame) {
					this.queuedBytes.addAndGet(-frame.content().readableBytes());
					frame.release();
				}
				else {
					((Runnable) item).run();
				}
			}
			this.listener.onClose(code, (reason != null) ? reason : "");
		}
	}

	@Override
	public void send(byte[] frame) {
		if (this.dropped.get() || this.closed.get()) {
			return;
		}
		long queued = bufferedBytes();
		if (queued > 0 && queued + frame.length > this.sendBufferSize) {
			if (this.dropped.compareAndSet(false, true)) {
				logger.warn("Disconnecting peer {} ({}): it cannot keep up ({} bytes wait to be sent, the limit is {})",
						this.peer, this.remoteAddress, queued, this.sendBufferSize);
				String reason = "cannot keep up: too much queued for it";
				this.listener.lost(1008, reason);
				close(1008, reason);
			}
			return;
		}
		MemoryBudget.Account account = this.memory;
		if (account != null) {
			// counted before it is queued: past the budget the heaviest goes, maybe this very peer
			account.outbound(queued + frame.length);
			if (account.isClosed()) {
				return;
			}
		}
		enqueue(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame)), frame.length);
	}

	@Override
	public void sendText(String text) {
		if (!this.closed.get()) {
			TextWebSocketFrame frame = new TextWebSocketFrame(text);
			enqueue(frame, frame.content().readableBytes());
		}
	}

	@Override
	public void sendPing() {
		if (!this.closed.get()) {
			enqueue(new PingWebSocketFrame(), 0);
		}
	}

	private void enqueue(Object item, int size) {
		this.queuedBytes.addAndGet(size);
		this.queue.add(item);
		if (this.draining.compareAndSet(false, true)) {
			this.channel.eventLoop().execute(this::drain);
		}
	}

	/** Writes out what was queued, with one flush, on the event loop. */
	private void drain() {
		do {
			boolean written = false;
			Object item;
			while ((item = this.queue.poll()) != null) {
				if (item instanceof WebSocketFrame frame) {
					this.queuedBytes.addAndGet(-frame.content().readableBytes());
					this.channel.write(frame, this.channel.voidPromise());
					written = true;
				}
				else {
					if (written) {
						this.channel.flush();
						written = false;
					}
					((Runnable) item).run();
				}
			}
			if (written) {
				this.channel.flush();
			}
			this.draining.set(false);
		}
		while (!this.queue.isEmpty() && this.draining.compareAndSet(false, true));
	}

	/**
	 * Closes after what was sent before, and waits for the peer's close frame, as Tomcat does: a
	 * peer still sending when the close frame leaves (requests it will be told about when a node
	 * drains, or the rest of a message refused for its size or for the memory budget) would have
	 * the TCP connection reset under it and lose the close frame and its reason to the reset
	 * (1006). A close for what the peer did (any code but 1000 and 1001) reads nothing more of
	 * what it sends meanwhile. The channel goes after a grace time either way (a second for such
	 * a close, five for a normal one), for a peer that does not read would hold it for good.
	 */
	@Override
	public void close(int code, String reason) {
		if (!this.channel.isActive()) {
			return;
		}
		String text = closeReason(reason);
		boolean normal = code == 1000 || code == 1001;
		if (!normal) {
			this.refusing = true;
		}
		// Reactor Netty answers the peer's close frame and then closes the channel
		enqueue((Runnable) () -> this.channel.writeAndFlush(new CloseWebSocketFrame(code, text),
				this.channel.voidPromise()), 0);
		long grace = normal ? 5 * CLOSE_GRACE_MILLIS : CLOSE_GRACE_MILLIS;
		this.channel.eventLoop().schedule(() -> {
			if (this.channel.isActive()) {
				this.channel.close();
			}
		}, grace, TimeUnit.MILLISECONDS);
	}

	/** A close frame's reason holds 123 bytes at most. */
	static String closeReason(String reason) {
		byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
		if (bytes.length <= 123) {
			return reason;
		}
		String cut = reason.substring(0, Math.min(reason.length(), 120));
		while (cut.getBytes(StandardCharsets.UTF_8).length > 120) {
			cut = cut.substring(0, cut.length() - 1);
		}
		return cut + "...";
	}

	@Override
	public boolean isOpen() {
		return this.channel.isActive() && !this.closed.get();
	}

	@Override
	public long bufferedBytes() {
		ChannelOutboundBuffer buffer = this.channel.unsafe().outboundBuffer();
		return this.queuedBytes.get() + ((buffer != null) ? buffer.totalPendingWriteBytes() : 0);
	}

	@Override
	public String remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public String remoteHost() {
		return this.remoteHost;
	}

	@Override
	public @Nullable Principal principal() {
		return this.principal;
	}

}
