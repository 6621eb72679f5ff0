package io.netron.core;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Checks the credentials a Titan-generation peer sends with the {@code authenticate} task
 * ({@code {username, password}} or {@code {token}}). On success the principal is bound to the
 * peer's connection, as if its WebSocket upgrade had been authenticated: {@link NetronContext}
 * and the security binding of later requests see it. The Spring Boot auto-configuration provides
 * one backed by the application's Spring Security {@code AuthenticationManager} or
 * {@code JwtDecoder}.
 */
@FunctionalInterface
public interface NetronAuthenticator {

	/**
	 * Authenticates credentials.
	 * @param credentials the task's argument, such as {@code {username, password}} or {@code {token}}
	 * @return who the peer is
	 * @throws Exception when the credentials are refused: its message is sent back as the result's {@code error}
	 */
	Authenticated authenticate(Map<String, @Nullable Object> credentials) throws Exception;

	/**
	 * Whether authentication is configured now; when not, the task answers 503 "Authentication not
	 * configured", as a Titan node without {@code configureAuth()} does.
	 * @return whether credentials can be checked
	 */
	default boolean available() {
		return true;
	}

	/**
	 * A successful authentication.
	 *
	 * @param principal who the peer is, bound to its connection
	 * @param context what the peer is told about itself, as Titan's {@code AuthContext}
	 * ({@code userId}, {@code roles}, ...)
	 */
	record Authenticated(Principal principal, Map<String, @Nullable Object> context) {
	}

}
