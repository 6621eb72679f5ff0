package io.netron.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/** Bearer tokens of the {@code authenticate} task checked by the application's {@link JwtDecoder}. */
final class NetronJwtTokenAuthentication implements NetronSecurityAuthenticator.TokenAuthentication {

	private final ObjectProvider<JwtDecoder> decoders;

	NetronJwtTokenAuthentication(ObjectProvider<JwtDecoder> decoders) {
		this.decoders = decoders;
	}

	@Override
	public boolean available() {
		return this.decoders.getIfUnique() != null;
	}

	@Override
	public Authentication authenticate(String token) {
		return new JwtAuthenticationProvider(this.decoders.getObject())
			.authenticate(new BearerTokenAuthenticationToken(token));
	}

}
