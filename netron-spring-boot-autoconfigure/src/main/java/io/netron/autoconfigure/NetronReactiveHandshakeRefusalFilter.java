package io.netron.autoconfigure;

import io.netron.transport.NetronConnectionGuard;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * On WebFlux, logs WebSocket upgrades to the Netron endpoint that a filter refused with 401 or 403
 * (the application's {@code SecurityWebFilterChain}, or one of its own): one line naming the remote
 * address and the answer, at most one a second, as {@link NetronHandshakeRefusalFilter} does on the
 * servlet stack. It runs ahead of Spring Security's filters, to see what they answered.
 */
public class NetronReactiveHandshakeRefusalFilter implements WebFilter, Ordered {

	private final NetronConnectionGuard guard;

	private final String path;

	/**
	 * A filter reporting refusals through the endpoint's guard.
	 * @param guard the endpoint's connection guard, which logs refusals
	 * @param path the endpoint's path
	 */
	public NetronReactiveHandshakeRefusalFilter(NetronConnectionGuard guard, String path) {
		this.guard = guard;
		this.path = path;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!this.path.equals(request.getPath().pathWithinApplication().value())
				|| !"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
			return chain.filter(exchange);
		}
		exchange.getResponse().beforeCommit(() -> {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			if (status != null && (status.value() == HttpStatus.UNAUTHORIZED.value()
					|| status.value() == HttpStatus.FORBIDDEN.value())) {
				this.guard.refused(NetronConnectionGuard.address(request.getRemoteAddress()), status.value()
						+ ((status.value() == HttpStatus.UNAUTHORIZED.value())
								? " Unauthorized (the handshake was not authenticated)"
								: " Forbidden (the handshake's principal may not connect)"));
			}
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		// ahead of Spring Security's WebFilterChainProxy (order -100)
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

}
