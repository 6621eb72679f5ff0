package io.netron.core;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP transport behind Spring Security with its CSRF protection left as it comes (nothing
 * disabled, nothing customised), over real HTTP, on either stack: a JSON POST with a bearer token needs no CSRF
 * token (the resource server exempts bearer requests), a POST riding a cookie session is refused
 * without the session's CSRF token and served with it, and HTTP Basic POSTs need one too.
 */
class HttpCsrfTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	private static final String ADD = "{\"id\":\"1\",\"service\":\"whoami@1.0.0\",\"method\":\"name\"}";

	@BeforeAll
	static void start() {
		server = nodes.server(CookieSessionApplication.class, new Class<?>[] { WhoAmI.class });
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@Test
	void aJsonPostWithABearerTokenIsServedUnderTheDefaultCsrfProtection() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> response = http.send(invoke().header("Authorization", "Bearer " + SecurityTests.jwt("carol", "read")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("{\"id\":\"1\",\"success\":true,\"data\":\"carol\",");
	}

	@Test
	void aPostRidingACookieSessionNeedsTheSessionsCsrfToken() throws Exception {
		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		// log in the way a browser does: the login page renders a token, the form posts it back
		String loginToken = csrfTokenOfLoginPage(browser);
		HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-pw&_csrf="
					+ URLEncoder.encode(loginToken, StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location")).hasValueSatisfying((to) -> assertThat(to).doesNotContain("error"));

		// the session cookie alone, as a forged cross-site request would carry it: refused
		HttpResponse<String> forged = browser.send(invoke().build(), HttpResponse.BodyHandlers.ofString());
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(forged.body()).doesNotContain("success");

		// with the session's token (logging in changed it; the application's page renders the new one)
		String sessionToken = csrfTokenOfLoginPage(browser);
		HttpResponse<String> served = browser.send(invoke().header("X-CSRF-TOKEN", sessionToken).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).startsWith("{\"id\":\"1\",\"success\":true,\"data\":\"alice\",");
	}

	@Test
	void httpBasicPostsAreRefusedWithoutACsrfTokenUnderTheDefaults() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String basic = "Basic " + Base64.getEncoder().encodeToString("alice:alice-pw".getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = http.send(invoke().header("Authorization", basic).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(refusedBasicPostStatus());
		assertThat(response.body()).doesNotContain("success");
	}

	/**
	 * {@return the status of an HTTP Basic POST without a CSRF token} On the servlet stack the CSRF
	 * filter's 403 goes to the error page, which an unauthenticated request may not see, so the
	 * answer is the challenge (401); WebFlux answers the 403 itself.
	 */
	int refusedBasicPostStatus() {
		return 401;
	}

	private static String csrfTokenOfLoginPage(HttpClient browser) throws Exception {
		HttpResponse<String> page = browser.send(HttpRequest.newBuilder(uri("/login")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		Matcher token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
		assertThat(token.find()).as("a CSRF token in the login page").isTrue();
		return token.group(1);
	}

	private static HttpRequest.Builder invoke() {
		return HttpRequest.newBuilder(uri("/netron/invoke"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(ADD));
	}

	private static URI uri(String path) {
		return URI.create("http://127.0.0.1:" + TestNodes.port(server) + path);
	}

	/**
	 * An application with a login form and a cookie session, and bearer tokens for machines:
	 * Spring Security's CSRF protection as it comes, on the servlet stack or on WebFlux.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(SecurityTests.Jwts.class)
	public static class CookieSessionApplication {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		static class OnServlets {

			@Bean
			SecurityFilterChain everything(HttpSecurity http) throws Exception {
				http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
					.formLogin(Customizer.withDefaults())
					.httpBasic(Customizer.withDefaults())
					.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()));
				return http.build();
			}

			@Bean
			UserDetailsService users() {
				return new InMemoryUserDetailsManager(alice());
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		static class OnWebFlux {

			@Bean
			SecurityWebFilterChain everything(ServerHttpSecurity http) {
				return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
					.formLogin(Customizer.withDefaults())
					.httpBasic(Customizer.withDefaults())
					.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
					.build();
			}

			@Bean
			MapReactiveUserDetailsService users() {
				return new MapReactiveUserDetailsService(alice());
			}

		}

		private static UserDetails alice() {
			return User.withUsername("alice").password("{noop}alice-pw").roles("USER").build();
		}

	}

	@NetronService("whoami@1.0.0")
	public static class WhoAmI {

		@Public
		public String name() {
			return NetronContext.current().principalName();
		}

	}

}
