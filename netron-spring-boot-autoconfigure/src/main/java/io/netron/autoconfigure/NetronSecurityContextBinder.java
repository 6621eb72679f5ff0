package io.netron.autoconfigure;

import io.netron.core.NetronContext;
import io.netron.core.NetronContextBinder;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Holds the {@link Authentication} of the connection's handshake in Spring Security's
 * {@link SecurityContextHolder} while a service method serves the connection's request, so that
 * {@code @PreAuthorize}, {@code @Secured} and the application's own code see the caller. The
 * context is emptied for connections that did not authenticate, and the thread's previous context
 * comes back afterwards.
 */
public class NetronSecurityContextBinder implements NetronContextBinder {

	/** A binder on the application's {@code SecurityContextHolder} strategy. */
	public NetronSecurityContextBinder() {
	}

	@Override
	public NetronContext.Scope bind(NetronContext context) {
		SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();
		SecurityContext previous = strategy.getContext();
		SecurityContext bound = strategy.createEmptyContext();
		if (context.principal() instanceof Authentication authentication) {
			bound.setAuthentication(authentication);
		}
		strategy.setContext(bound);
		return () -> {
			if (previous.getAuthentication() == null) {
				strategy.clearContext();
			}
			else {
				strategy.setContext(previous);
			}
		};
	}

}
