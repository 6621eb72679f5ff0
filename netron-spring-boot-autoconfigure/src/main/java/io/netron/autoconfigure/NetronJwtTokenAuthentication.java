package io.netron.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;

/**
 * Bearer tokens of the {@code authenticate} task checked by the application's {@link JwtDecoder},
 * or by its {@link ReactiveJwtDecoder} (a WebFlux resource server), waited for.
 */
final class NetronJwtTokenAuthentication implements NetronSecurityAuthenticator.TokenAuthentication {

	private final ObjectProvider<JwtDecoder> decoders;

	private final @Nullable ObjectProvider<ReactiveJwtDecoder> reactiveDecoders;

	NetronJwtTokenAuthentication(ObjectProvider<JwtDecoder> decoders,
			@Nullable ObjectProvider<ReactiveJwtDecoder> reactiveDecoders) {
		this.decoders = decoders;
		this.reactiveDecoders = reactiveDecoders;
	}

	@Override
	public boolean available() {
		return this.decoders.getIfUnique() != null
				|| (this.reactiveDecoders != null && this.reactiveDecoders.getIfUnique() != null);
	}

	@Override
	public Authentication authenticate(String token) {
		JwtDecoder decoder = this.decoders.getIfUnique();
		if (decoder != null || this.reactiveDecoders == null) {
			return new JwtAuthenticationProvider(this.decoders.getObject())
				.authenticate(new BearerTokenAuthenticationToken(token));
		}
		return new JwtReactiveAuthenticationManager(this.reactiveDecoders.getObject())
			.authenticate(new BearerTokenAuthenticationToken(token))
			.block(NetronSecurityAuthenticator.REACTIVE_TIMEOUT);
	}

}
