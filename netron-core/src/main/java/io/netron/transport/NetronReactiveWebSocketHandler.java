package io.netron.transport;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.netron.core.ConnectionListener;
import io.netron.core.Netron;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * The Netron server endpoint of a Spring WebFlux application on Reactor Netty: accepts peers of
 * both generations as {@link NetronWebSocketHandler} does on the servlet stack (seed-era peers
 * with {@code ?id=}, Titan peers with a {@code client-id} frame first), counted by the same
 * {@link NetronConnectionGuard}, and hands their frames to the node on Netty's event loop. Frames
 * are read and written on the Netty channel itself ({@link NetronReactiveEndpoint} upgrades
 * through it); on another reactive server the endpoint refuses connections with 1011.
 */
public class NetronReactiveWebSocketHandler implements WebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(NetronReactiveWebSocketHandler.class);

	private final Netron netron;

	private final NetronConnectionGuard guard;

	private final long sendBufferSize;

	/**
	 * An endpoint of a node.
	 * @param netron the node
	 * @param guard counts connections and enforces the node's connection limits
	 */
	public NetronReactiveWebSocketHandler(Netron netron, NetronConnectionGuard guard) {
		this.netron = netron;
		this.guard = guard;
		this.sendBufferSize = netron.options().sendBufferSize();
	}

	/** {@return the guard that counts this endpoint's connections} */
	public NetronConnectionGuard guard() {
		return this.guard;
	}

	/** {@return the node this endpoint serves} */
	Netron netron() {
		return this.netron;
	}

	/** A session of another reactive server than Reactor Netty: refused. */
	@Override
	public Mono<Void> handle(WebSocketSession session) {
		logger.warn("Refusing a Netron connection from {}: Netron's reactive endpoint runs on Reactor Netty, "
				+ "not on {}", session.getHandshakeInfo().getRemoteAddress(), session.getClass().getSimpleName());
		return session.close(new CloseStatus(1011, "Netron's reactive endpoint runs on Reactor Netty"));
	}

	/**
	 * Serves an upgraded connection.
	 * @param in the connection's frames
	 * @param out where to close it
	 * @param info the upgrade request
	 * @return completes when the connection has closed
	 */
	Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out, HandshakeInfo info) {
		// in front of the frame decoder before any frame is read: large frames count from their header
		FrameGatheringBudget budget = new FrameGatheringBudget(this.netron.options().maxMessageSize());
		long[] droppedBeforeUpgrade = new long[1];
		in.withConnection((connection) -> {
			ChannelPipeline pipeline = connection.channel().pipeline();
			if (pipeline.get(BytesBeforeUpgrade.NAME) instanceof BytesBeforeUpgrade early) {
				// the HTTP decoder is gone: nothing raw can reach the bridge any more
				droppedBeforeUpgrade[0] = early.dropped();
				pipeline.remove(early);
			}
			if (pipeline.get(FrameGatheringBudget.DECODER) != null && pipeline.get(FrameGatheringBudget.NAME) == null) {
				pipeline.addBefore(FrameGatheringBudget.DECODER, FrameGatheringBudget.NAME, budget);
			}
			else {
				logger.debug("No WebSocket frame decoder named {} in the pipeline of {}: frames are counted once decoded",
						FrameGatheringBudget.DECODER, info.getRemoteAddress());
			}
		});
		return info.getPrincipal()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((principal) -> serve(in, out, info, principal.orElse(null), budget, droppedBeforeUpgrade[0]));
	}

	private Mono<Void> serve(WebsocketInbound in, WebsocketOutbound out, HandshakeInfo info,
			@Nullable Principal principal, FrameGatheringBudget budget, long droppedBeforeUpgrade) {
		InetSocketAddress remote = info.getRemoteAddress();
		NetronConnectionGuard.Admission admission = this.guard.admit(remote);
		String host = admission.host();
		if (host == null) {
			return out.sendClose(admission.closeCode(), admission.closeReason());
		}
		Channel[] channel = new Channel[1];
		in.withConnection((connection) -> channel[0] = connection.channel());
		// without ?id a client must send a client-id frame first (Titan generation)
		String peerId = NetronWebSocketHandler.peerId(info.getUri());
		boolean titanClient = info.getHeaders().containsHeader(NetronWebSocketHandler.TITAN_ID_HEADER);
		NettyWebSocketConnection connection = new NettyWebSocketConnection(channel[0], (peerId != null) ? peerId : "?",
				String.valueOf(remote), host,
				principal, this.netron.options().maxMessageSize(), this.sendBufferSize);
		AtomicReference<WebSocketCloseStatus> status = new AtomicReference<>();
		in.receiveCloseStatus().subscribe(status::set);
		ConnectionListener listener;
		try {
			listener = this.netron.accept(connection, peerId, titanClient);
		}
		catch (RuntimeException ex) {
			this.guard.release(host);
			throw ex;
		}
		connection.attach(listener);
		budget.drawFor(connection);
		if (droppedBeforeUpgrade > 0) {
			logger.warn("Closing connection with {}: it sent {} bytes before its upgrade was answered, which cannot be "
					+ "read as frames any more (a WebSocket client waits for the 101 answer)", remote, droppedBeforeUpgrade);
			connection.close(1002, "frames sent before the upgrade was answered");
		}
		return in.receiveFrames().doOnNext(connection::onFrame).doFinally((signal) -> {
			this.guard.release(host);
			WebSocketCloseStatus closeStatus = status.get();
			connection.closed((closeStatus != null) ? closeStatus.code() : 1006,
					(closeStatus != null) ? closeStatus.reasonText() : "");
		}).then();
	}

}
