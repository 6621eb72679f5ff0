package io.netron.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

import io.netron.core.Connection;
import io.netron.core.ConnectionListener;
import io.netron.core.HandshakeRefusedException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

/**
 * Opens client connections with Reactor Netty's WebSocket client: frames read and written on
 * Netty's event loops (shared with a Reactor Netty server in the same application), the answers
 * and calls of many threads leaving in one write per turn of the loop. The JDK connector
 * ({@link JdkWebSocketConnector}) stays the default of applications without Reactor Netty.
 */
public final class ReactorNettyConnector implements io.netron.core.Connector, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ReactorNettyConnector.class);

	private final int maxMessageSize;

	private final long sendBufferSize;

	private final HttpClient client;

	/** Whether the client carries an SSL context of its own (else {@code wss://} gets the default one). */
	private final boolean secured;

	/**
	 * A connector.
	 * @param maxMessageSize the largest message accepted from a server
	 * @param sendBufferSize how many bytes may wait to be sent before the server counts as unable
	 * to keep up
	 */
	public ReactorNettyConnector(int maxMessageSize, long sendBufferSize) {
		this(maxMessageSize, sendBufferSize, null);
	}

	/**
	 * A connector with the trust of an SSL context for {@code wss://}.
	 * @param maxMessageSize the largest message accepted from a server
	 * @param sendBufferSize how many bytes may wait to be sent before the server counts as unable
	 * to keep up
	 * @param sslContext the SSL context of {@code wss://} connections, or {@code null} for the JDK's
	 */
	public ReactorNettyConnector(int maxMessageSize, long sendBufferSize, @Nullable SSLContext sslContext) {
		this.maxMessageSize = maxMessageSize;
		this.sendBufferSize = sendBufferSize;
		// a WebSocket holds its connection for good: none is pooled, and no pool limit applies
		HttpClient client = HttpClient.create(ConnectionProvider.newConnection());
		this.secured = sslContext != null;
		if (sslContext != null) {
			JdkSslContext netty = new JdkSslContext(sslContext, true, ClientAuth.NONE);
			this.client = client.secure((spec) -> spec.sslContext(netty));
		}
		else {
			this.client = client;
		}
	}

	@Override
	public CompletableFuture<Connection> connect(URI uri, Duration timeout, ConnectionListener listener) {
		return connect(uri, timeout, Map.of(), listener);
	}

	@Override
	public CompletableFuture<Connection> connect(URI uri, Duration timeout, Map<String, String> headers,
			ConnectionListener listener) {
		CompletableFuture<Connection> opened = new CompletableFuture<>();
		AtomicReference<@Nullable NettyWebSocketConnection> open = new AtomicReference<>();
		String remoteAddress = uri.getHost() + ":" + uri.getPort();
		HttpClient client = ("wss".equalsIgnoreCase(uri.getScheme()) && !this.secured)
				? this.client.secure() : this.client;
		Disposable connecting = client
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
			.headers((all) -> headers.forEach(all::set))
			.websocket(WebsocketClientSpec.builder()
				.maxFramePayloadLength(this.maxMessageSize)
				.handlePing(false)
				.compress(false)
				.build())
			.uri(uri)
			.handle((in, out) -> {
				Channel[] channel = new Channel[1];
				in.withConnection((connection) -> channel[0] = connection.channel());
				NettyWebSocketConnection connection = new NettyWebSocketConnection(channel[0], uri.toString(),
						remoteAddress, uri.getHost(), null, this.maxMessageSize, this.sendBufferSize);
				AtomicReference<WebSocketCloseStatus> status = new AtomicReference<>();
				in.receiveCloseStatus().subscribe(status::set);
				connection.attach(listener);
				open.set(connection);
				listener.onOpen(connection);
				opened.complete(connection);
				return in.receiveFrames().doOnNext(connection::onFrame).doFinally((signal) -> {
					WebSocketCloseStatus closeStatus = status.get();
					connection.closed((closeStatus != null) ? closeStatus.code() : 1006,
							(closeStatus != null) ? closeStatus.reasonText() : "");
				}).then(Mono.<Void>empty());
			})
			.subscribe(null, (error) -> {
				NettyWebSocketConnection connection = open.get();
				if (connection == null) {
					opened.completeExceptionally(translated(error, uri));
				}
				else {
					logger.debug("Connection to {} failed: {}", remoteAddress, error.toString());
					connection.closed(1006, (error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName());
				}
			});
		opened.orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS).whenComplete((connection, failure) -> {
			if (failure != null) {
				connecting.dispose();
			}
		});
		return opened;
	}

	private static Throwable translated(Throwable error, URI uri) {
		if (error instanceof WebSocketClientHandshakeException refused && refused.response() != null) {
			int status = refused.response().status().code();
			// the body of a failed upgrade is not read here: a Netron server says why in a header too
			String reason = refused.response().headers().get(NetronConnectionGuard.REFUSAL_HEADER);
			return new HandshakeRefusedException("Cannot connect to " + uri + ": the upgrade was refused with HTTP "
					+ status + ((reason != null && !reason.isBlank()) ? ": " + reason
							: " " + refused.response().status().reasonPhrase()), status);
		}
		return error;
	}

	@Override
	public void close() {
		// the event loops are Reactor Netty's shared ones, which live as long as the application
	}

}
