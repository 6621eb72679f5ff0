package io.netron.transport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * The endpoint's upgrade on Spring WebFlux and Reactor Netty, for the application's handler
 * mapping (behind its {@code SecurityWebFilterChain}, like any other request): refuses pages of
 * other origins (403), and upgrades beyond the node's connection limits (503) or claiming a node
 * id another caller holds (409), before any WebSocket frame; then upgrades with Reactor Netty,
 * messages up to the node's maximum size and permessage-deflate only when enabled (TypeScript
 * clients offer it, the TypeScript server never accepts it), and serves the connection with the
 * {@link NetronReactiveWebSocketHandler}.
 */
public class NetronReactiveEndpoint implements WebHandler {

	private final NetronReactiveWebSocketHandler handler;

	private final HandshakeWebSocketService handshake;

	private final CorsConfiguration origins = new CorsConfiguration();

	/**
	 * An endpoint.
	 * @param handler serves the upgraded connections
	 * @param perMessageDeflate whether to negotiate permessage-deflate
	 * @param allowedOriginPatterns origins of other sites whose pages may connect (same-origin pages
	 * and clients that send no {@code Origin} always may)
	 */
	public NetronReactiveEndpoint(NetronReactiveWebSocketHandler handler, boolean perMessageDeflate,
			List<String> allowedOriginPatterns) {
		this.handler = handler;
		int maxMessageSize = handler.netron().options().maxMessageSize();
		this.handshake = new HandshakeWebSocketService(new NetronUpgradeStrategy(() -> WebsocketServerSpec.builder()
			.maxFramePayloadLength(maxMessageSize)
			.compress(perMessageDeflate)
			.handlePing(false)));
		this.origins.setAllowedOriginPatterns(allowedOriginPatterns);
	}

	/** {@return the WebSocket handler that serves the connections} */
	public NetronReactiveWebSocketHandler handler() {
		return this.handler;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		String origin = request.getHeaders().getOrigin();
		if (origin != null && !sameOrigin(origin, request.getURI()) && this.origins.checkOrigin(origin) == null) {
			String shown = origin.replaceAll("[^\\x20-\\x7e]", "?");
			this.handler.guard()
				.refused(NetronConnectionGuard.address(request.getRemoteAddress()), "a page of origin '"
						+ ((shown.length() > 100) ? shown.substring(0, 100) + "..." : shown)
						+ "' may not connect (same origin only; netron.server.allowed-origins lists others)");
			exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
			return exchange.getResponse().setComplete();
		}
		return exchange.getPrincipal()
			.map(java.util.Optional::of)
			.defaultIfEmpty(java.util.Optional.empty())
			.flatMap((principal) -> {
				NetronConnectionGuard.UpgradeRefusal refusal = this.handler.guard()
					.refusal(request.getRemoteAddress(), request.getURI(), principal.orElse(null));
				if (refusal != null) {
					ServerHttpResponse response = exchange.getResponse();
					response.setStatusCode(refusal.status());
					response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
					response.getHeaders().set(NetronConnectionGuard.REFUSAL_HEADER, refusal.headerValue());
					DataBuffer body = response.bufferFactory()
						.wrap((refusal.reason() + "\n").getBytes(StandardCharsets.UTF_8));
					return response.writeWith(Mono.just(body));
				}
				return this.handshake.handleRequest(exchange, this.handler);
			});
	}

	private static boolean sameOrigin(String origin, URI request) {
		try {
			URI from = URI.create(origin);
			if (from.getHost() == null || request.getHost() == null) {
				return false;
			}
			return from.getHost().equalsIgnoreCase(request.getHost()) && port(from) == port(request)
					&& secure(from.getScheme()) == secure(request.getScheme());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static boolean secure(@Nullable String scheme) {
		return "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme);
	}

	private static int port(URI uri) {
		return (uri.getPort() != -1) ? uri.getPort() : secure(uri.getScheme()) ? 443 : 80;
	}

	/**
	 * Upgrades through Reactor Netty and hands the Netty connection to the Netron handler (other
	 * handlers get WebFlux's own session).
	 */
	private static final class NetronUpgradeStrategy implements RequestUpgradeStrategy {

		private final ReactorNettyRequestUpgradeStrategy standard;

		NetronUpgradeStrategy(Supplier<WebsocketServerSpec.Builder> spec) {
			this.standard = new ReactorNettyRequestUpgradeStrategy(spec);
		}

		@Override
		public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, @Nullable String subProtocol,
				Supplier<HandshakeInfo> handshakeInfoFactory) {
			if (!(handler instanceof NetronReactiveWebSocketHandler netron)) {
				return this.standard.upgrade(exchange, handler, subProtocol, handshakeInfoFactory);
			}
			ServerHttpResponse response = exchange.getResponse();
			HttpServerResponse reactorResponse = ServerHttpResponseDecorator.getNativeResponse(response);
			HandshakeInfo info = handshakeInfoFactory.get();
			WebsocketServerSpec spec = this.standard.getWebsocketServerSpec();
			if (reactorResponse instanceof Connection connection
					&& connection.channel().pipeline().get(NettyPipeline.ReactiveBridge) != null
					&& connection.channel().pipeline().get(BytesBeforeUpgrade.NAME) == null) {
				connection.channel().pipeline().addBefore(NettyPipeline.ReactiveBridge, BytesBeforeUpgrade.NAME,
						new BytesBeforeUpgrade());
			}
			return response.setComplete()
				.then(Mono.defer(() -> reactorResponse.sendWebsocket((in, out) -> netron.handle(in, out, info), spec)));
		}

	}

}
