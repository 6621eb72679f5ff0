package io.netron.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netron.core.NetronAuthenticator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The {@code authenticate} task of Titan-generation peers on Spring Security:
 * {@code {username, password}} through the application's {@link AuthenticationManager} bean
 * (on Spring WebFlux, its {@link ReactiveAuthenticationManager} bean), {@code {token}} through its
 * {@code JwtDecoder} or {@code ReactiveJwtDecoder} bean (with
 * {@code spring-security-oauth2-resource-server}); available when the application has either. A
 * user details service alone does not make it available, on either stack: Spring Boot makes one
 * with a generated password whenever Spring Security is there. The reactive ones are waited for:
 * the task runs on a worker, never on an I/O thread.
 * The peer is told {@code {userId, roles}}: the principal's name and its authorities.
 */
public class NetronSecurityAuthenticator implements NetronAuthenticator {

	/** How long a reactive authentication may take before the peer is refused. */
	static final Duration REACTIVE_TIMEOUT = Duration.ofSeconds(10);

	private final ObjectProvider<AuthenticationManager> managers;

	private final @Nullable ObjectProvider<ReactiveAuthenticationManager> reactiveManagers;

	private final @Nullable TokenAuthentication tokens;

	/**
	 * An authenticator over the application's beans, looked up when a peer authenticates.
	 * @param managers the application's {@code AuthenticationManager}, if it has one
	 * @param tokens authenticates a bearer token (a JWT), {@code null} without Spring Security's
	 * resource server support
	 */
	public NetronSecurityAuthenticator(ObjectProvider<AuthenticationManager> managers,
			@Nullable TokenAuthentication tokens) {
		this(managers, null, tokens);
	}

	/**
	 * An authenticator over the application's beans, servlet or reactive, looked up when a peer
	 * authenticates.
	 * @param managers the application's {@code AuthenticationManager}, if it has one
	 * @param reactiveManagers its {@code ReactiveAuthenticationManager}, used when it has no
	 * {@code AuthenticationManager}
	 * @param tokens authenticates a bearer token (a JWT), {@code null} without Spring Security's
	 * resource server support
	 */
	public NetronSecurityAuthenticator(ObjectProvider<AuthenticationManager> managers,
			@Nullable ObjectProvider<ReactiveAuthenticationManager> reactiveManagers, @Nullable TokenAuthentication tokens) {
		this.managers = managers;
		this.reactiveManagers = reactiveManagers;
		this.tokens = tokens;
	}

	@Override
	public boolean available() {
		return (this.tokens != null && this.tokens.available()) || passwordManager() != null;
	}

	/** The manager that checks passwords: the servlet one, else the reactive one, waited for. */
	private @Nullable AuthenticationManager passwordManager() {
		AuthenticationManager manager = this.managers.getIfUnique();
		if (manager != null) {
			return manager;
		}
		ReactiveAuthenticationManager reactive = (this.reactiveManagers != null) ? this.reactiveManagers.getIfUnique() : null;
		if (reactive == null) {
			return null;
		}
		return (authentication) -> reactive.authenticate(authentication).block(REACTIVE_TIMEOUT);
	}

	@Override
	public Authenticated authenticate(Map<String, @Nullable Object> credentials) {
		Authentication result;
		if (credentials.get("token") instanceof String token) {
			if (this.tokens == null || !this.tokens.available()) {
				throw new BadCredentialsException("Token authentication is not configured (no JwtDecoder or ReactiveJwtDecoder bean)");
			}
			result = this.tokens.authenticate(token);
		}
		else if (credentials.get("username") instanceof String username
				&& credentials.get("password") instanceof String password) {
			AuthenticationManager manager = passwordManager();
			if (manager == null) {
				throw new BadCredentialsException(
						"Password authentication is not configured (no AuthenticationManager or ReactiveAuthenticationManager bean)");
			}
			result = manager.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(username, password));
		}
		else {
			throw new BadCredentialsException("Expected {username, password} or {token}");
		}
		if (result == null || !result.isAuthenticated()) {
			throw new BadCredentialsException("Authentication failed");
		}
		Map<String, @Nullable Object> context = new LinkedHashMap<>();
		context.put("userId", result.getName());
		List<String> roles = result.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
		context.put("roles", roles);
		return new Authenticated(result, context);
	}

	/** Authenticates bearer tokens. */
	public interface TokenAuthentication {

		/** {@return whether tokens can be checked now} */
		boolean available();

		/**
		 * Authenticates a token.
		 * @param token the bearer token
		 * @return the authentication
		 */
		Authentication authenticate(String token);

	}

}
