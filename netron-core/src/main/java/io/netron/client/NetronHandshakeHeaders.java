package io.netron.client;

import java.util.Map;

/**
 * HTTP headers for the WebSocket upgrade to a configured peer that change over time, such as an
 * OAuth2 access token: asked for at every connect and reconnect. In a Spring Boot application,
 * declare one as a bean; its headers are added to (and override) the peer's static
 * {@code netron.peers.<name>.headers}.
 * <pre>{@code
 * @Bean
 * NetronHandshakeHeaders tokens(TokenService tokens) {
 *     return (peer) -> Map.of("Authorization", "Bearer " + tokens.currentToken(peer));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface NetronHandshakeHeaders {

	/**
	 * The headers for the next connection to a peer.
	 * @param peerName the peer's name ({@code netron.peers.<name>})
	 * @return the headers, empty for none
	 */
	Map<String, String> headers(String peerName);

}
