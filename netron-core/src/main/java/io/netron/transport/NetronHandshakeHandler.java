package io.netron.transport;

import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The endpoint's handshake: permessage-deflate is not negotiated unless enabled. TypeScript
 * clients offer it and the TypeScript server never accepts it; Tomcat would accept it by itself,
 * and deflating small frames cuts throughput by more than an order of magnitude.
 */
public class NetronHandshakeHandler extends DefaultHandshakeHandler {

	private static final String EXTENSIONS_HEADER = "Sec-WebSocket-Extensions";

	/**
	 * A handshake handler.
	 * @param perMessageDeflate whether to negotiate permessage-deflate
	 */
	public NetronHandshakeHandler(boolean perMessageDeflate) {
		super(perMessageDeflate ? new StandardWebSocketUpgradeStrategy() : new NoExtensionsUpgradeStrategy());
	}

	/** Hides the client's extension offer from the container, so that none is negotiated. */
	static final class NoExtensionsUpgradeStrategy implements RequestUpgradeStrategy {

		private final StandardWebSocketUpgradeStrategy delegate = new StandardWebSocketUpgradeStrategy();

		@Override
		public String[] getSupportedVersions() {
			return this.delegate.getSupportedVersions();
		}

		@Override
		public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
			return List.of();
		}

		@Override
		public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
				List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler wsHandler,
				Map<String, Object> attributes) throws HandshakeFailureException {
			ServerHttpRequest upgraded = request;
			if (request instanceof ServletServerHttpRequest servlet) {
				upgraded = new ServletServerHttpRequest(new WithoutExtensions(servlet.getServletRequest()));
			}
			this.delegate.upgrade(upgraded, response, selectedProtocol, List.of(), user, wsHandler, attributes);
		}

	}

	private static final class WithoutExtensions extends HttpServletRequestWrapper {

		WithoutExtensions(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable String getHeader(String name) {
			return EXTENSIONS_HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return EXTENSIONS_HEADER.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(EXTENSIONS_HEADER::equalsIgnoreCase);
			return Collections.enumeration(names);
		}

	}

}
