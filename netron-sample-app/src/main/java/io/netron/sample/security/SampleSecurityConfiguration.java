package io.netron.sample.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sample's security: open by default, as an application without Spring Security is; with the
 * {@code secure} profile, the Netron endpoint takes HTTP Basic (the user of
 * {@code application-secure.yml}) and {@code @PreAuthorize} guards service methods.
 */
@Configuration(proxyBeanMethods = false)
public class SampleSecurityConfiguration {

	@Bean
	@Profile("!secure")
	SecurityFilterChain openToEveryone(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Configuration(proxyBeanMethods = false)
	@Profile("secure")
	@EnableMethodSecurity
	static class Secure {

		/** The Netron endpoint: every upgrade authenticated, no HTTP session kept for it. */
		@Bean
		@Order(1)
		SecurityFilterChain netronSecurityFilterChain(HttpSecurity http) throws Exception {
			http.securityMatcher("/netron/**")
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		/** Everything else: health for the probes, the rest authenticated. */
		@Bean
		@Order(2)
		SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health/**")
				.permitAll()
				.anyRequest()
				.authenticated()).httpBasic(Customizer.withDefaults());
			return http.build();
		}

	}

}
