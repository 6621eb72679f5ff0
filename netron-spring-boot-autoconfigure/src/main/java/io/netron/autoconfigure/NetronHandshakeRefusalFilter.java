package io.netron.autoconfigure;

import java.io.IOException;

import io.netron.transport.NetronConnectionGuard;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Logs WebSocket upgrades to the Netron endpoint that a filter after it refused with 401 or 403
 * (Spring Security's filter chain, or an application's own): one line naming the remote address
 * and the answer, at most one a second.
 */
public class NetronHandshakeRefusalFilter extends OncePerRequestFilter {

	private final NetronConnectionGuard guard;

	/**
	 * A filter reporting refusals through the endpoint's guard.
	 * @param guard the endpoint's connection guard, which logs refusals
	 */
	public NetronHandshakeRefusalFilter(NetronConnectionGuard guard) {
		this.guard = guard;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(request, response);
		int status = response.getStatus();
		if ((status == HttpServletResponse.SC_UNAUTHORIZED || status == HttpServletResponse.SC_FORBIDDEN)
				&& "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
			this.guard.refused(request.getRemoteAddr() + ":" + request.getRemotePort(), status
					+ ((status == HttpServletResponse.SC_UNAUTHORIZED) ? " Unauthorized (the handshake was not authenticated)"
							: " Forbidden (the handshake's principal may not connect)"));
		}
	}

}
