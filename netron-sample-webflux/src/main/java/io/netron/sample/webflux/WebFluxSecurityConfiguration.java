package io.netron.sample.webflux;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The WebFlux sample's security, as the servlet sample's: open by default; with the
 * {@code secure} profile, the Netron endpoint takes HTTP Basic (the user of
 * {@code application-secure.yml}) through the application's {@code SecurityWebFilterChain}, and
 * {@code @PreAuthorize} guards service methods (Netron binds the upgrade's principal on the
 * threads that serve its requests).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class WebFluxSecurityConfiguration {

	@Bean
	@Profile("!secure")
	SecurityWebFilterChain openToEveryone(ServerHttpSecurity http) {
		return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.build();
	}

	@Configuration(proxyBeanMethods = false)
	@Profile("secure")
	@EnableMethodSecurity
	static class Secure {

		/** The Netron endpoint: every upgrade authenticated, no session kept for it. */
		@Bean
		@Order(1)
		SecurityWebFilterChain netronSecurityWebFilterChain(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/netron/**", "/netron"))
				.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.httpBasic(Customizer.withDefaults())
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		/** Everything else: health for the probes, the rest authenticated. */
		@Bean
		@Order(2)
		SecurityWebFilterChain everythingElse(ServerHttpSecurity http) {
			return http
				.authorizeExchange((exchanges) -> exchanges.pathMatchers("/actuator/health/**", "/actuator/health")
					.permitAll()
					.anyExchange()
					.authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

	}

}
