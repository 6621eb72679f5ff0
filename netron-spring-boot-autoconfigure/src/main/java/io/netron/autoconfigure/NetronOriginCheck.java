package io.netron.autoconfigure;

import java.util.List;
import java.util.Map;

import io.netron.transport.NetronConnectionGuard;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * Refuses upgrades from browser pages of other origins (403) with Spring's
 * {@link OriginHandshakeInterceptor}: same-origin upgrades, upgrades without an {@code Origin}
 * header (peers that are not browsers) and those of {@code netron.server.allowed-origins} pass.
 * A refusal is logged through the connection guard, a line a second at most.
 */
final class NetronOriginCheck implements HandshakeInterceptor {

	private final OriginHandshakeInterceptor origins = new OriginHandshakeInterceptor();

	private final NetronConnectionGuard guard;

	NetronOriginCheck(List<String> allowedOriginPatterns, NetronConnectionGuard guard) {
		this.origins.setAllowedOriginPatterns(allowedOriginPatterns);
		this.guard = guard;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws Exception {
		if (this.origins.beforeHandshake(request, response, wsHandler, attributes)) {
			return true;
		}
		String origin = String.valueOf(request.getHeaders().getOrigin()).replaceAll("[^\\x20-\\x7e]", "?");
		this.guard.refused(NetronConnectionGuard.address(request.getRemoteAddress()), "a page of origin '"
				+ ((origin.length() > 100) ? origin.substring(0, 100) + "..." : origin)
				+ "' may not connect (same origin only; netron.server.allowed-origins lists others)");
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
