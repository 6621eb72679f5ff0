package io.netron.core;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.JsError;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A node behind Spring Security, over real connections: the upgrade is authenticated by the
 * application's filter chain (HTTP Basic, or a JWT signed by a key made here), the caller's
 * identity reaches the service method, {@code @PreAuthorize} refusals reach Java and raw-frame
 * callers as {@code AccessDeniedError}, and a node id cannot be taken over by another principal.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityTests {

	static final KeyPair JWT_KEYS = rsaKeys();

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	/** Open upgrades; Titan-generation peers authenticate with the authenticate task. */
	private static ConfigurableApplicationContext taskServer;

	@BeforeAll
	static void start() {
		server = nodes.server(SecureApplication.class, new Class<?>[] { Vault.class });
		taskServer = nodes.server(TaskAuthenticatedApplication.class, new Class<?>[] { Vault.class });
	}

	@Test
	void titanPeersAuthenticateWithThePasswordTaskAndTheirPrincipalServesLaterRequests() {
		Netron client = nodes.client();
		RemotePeer peer = client.connect(java.net.URI.create(TestNodes.url(taskServer)),
				ConnectOptions.defaults().withGeneration(ProtocolGeneration.TITAN)).join();
		RemoteService vault = peer.queryInterface("vault@1.0.0");
		assertThat(remoteFailure(vault.call("secret"))).isInstanceOf(RemoteAccessDeniedException.class)
			.satisfies((ex) -> assertThat(((RemoteInvocationException) ex).remoteCode()).isEqualTo(403));
		// Spring Security's own words: "Bad credentials" (servlet), "Invalid Credentials" (WebFlux)
		assertThat(peer.runTask("authenticate", Map.of("username", "alice", "password", "wrong")).join())
			.isIn(Map.of("success", false, "error", "Bad credentials"), Map.of("success", false, "error", "Invalid Credentials"));
		assertThat(remoteFailure(vault.call("secret"))).isInstanceOf(RemoteAccessDeniedException.class);
		Map<?, ?> result = (Map<?, ?>) peer.runTask("authenticate", Map.of("username", "alice", "password", "alice-pw")).join();
		assertThat(result.get("success")).isEqualTo(true);
		// the authorities as Spring Security grants them (Security 7 adds the FACTOR_PASSWORD factor)
		Map<?, ?> context = (Map<?, ?>) result.get("context");
		assertThat(context.get("userId")).isEqualTo("alice");
		assertThat(String.valueOf(context.get("roles"))).contains("ROLE_ADMIN");
		assertThat(vault.call("secret").join()).isEqualTo("42");
		assertThat(vault.call("whoAmILater").join()).isEqualTo("alice|alice");
		peer.disconnect();
	}

	@Test
	void theHttpAuthenticateChecksCredentialsWithTheSameAuthenticationManager() throws Exception {
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		java.util.function.Function<String, java.net.http.HttpResponse<String>> authenticate = (body) -> {
			try {
				return http.send(java.net.http.HttpRequest
					.newBuilder(java.net.URI.create("http://127.0.0.1:" + TestNodes.port(taskServer) + "/netron/authenticate"))
					.header("Content-Type", "application/json")
					.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
		java.net.http.HttpResponse<String> good = authenticate
			.apply("{\"id\":\"a1\",\"credentials\":{\"username\":\"alice\",\"password\":\"alice-pw\"}}");
		assertThat(good.statusCode()).isEqualTo(200);
		assertThat(good.body()).startsWith("{\"id\":\"a1\",\"success\":true,\"data\":{\"userId\":\"alice\",\"roles\":[");
		java.net.http.HttpResponse<String> bad = authenticate
			.apply("{\"id\":\"a2\",\"credentials\":{\"username\":\"alice\",\"password\":\"nope\"}}");
		assertThat(bad.statusCode()).isEqualTo(401);
		assertThat(bad.body()).matches("\\{\"id\":\"a2\",\"success\":false,\"error\":\\{\"code\":\"401\",\"message\":"
				+ "\"(Bad credentials|Invalid Credentials)\",\"details\":\\{}}}");
	}

	@Test
	void titanPeersAuthenticateWithABearerTokenTask() throws Exception {
		RemotePeer peer = nodes.client().connect(java.net.URI.create(TestNodes.url(taskServer)),
				ConnectOptions.defaults().withGeneration(ProtocolGeneration.TITAN)).join();
		Object result = peer.runTask("authenticate", Map.of("token", jwt("carol", "admin"))).join();
		assertThat(result).isInstanceOf(Map.class);
		assertThat(((Map<?, ?>) result).get("success")).isEqualTo(true);
		assertThat(peer.queryInterface("vault@1.0.0").call("whoAmILater").join()).isEqualTo("carol|carol");
		Object refused = peer.runTask("authenticate", Map.of("token", "not-a-jwt")).join();
		assertThat(((Map<?, ?>) refused).get("success")).isEqualTo(false);
		assertThat(((Map<?, ?>) refused).get("error")).asString().isNotBlank();
		peer.disconnect();
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@Test
	void anUnauthenticatedUpgradeIsRefusedWith401AndLogged(CapturedOutput output) {
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(400)).untilAsserted(() -> {
			Throwable failure = Failures.unwrap(catchThrowable(() -> nodes.client().connect(TestNodes.url(server)).join()));
			assertThat(failure).isInstanceOf(HandshakeRefusedException.class)
				.hasMessageContaining("the upgrade was refused with HTTP 401");
			assertThat(((HandshakeRefusedException) failure).statusCode()).isEqualTo(401);
			assertThat(output).contains("Refused a Netron connection from 127.0.0.1:",
					"401 Unauthorized (the handshake was not authenticated)");
		});
	}

	@Test
	void aWrongPasswordIsRefusedWith401() {
		Throwable failure = Failures.unwrap(catchThrowable(() -> connect(basic("alice", "wrong")).join()));
		assertThat(failure).isInstanceOf(HandshakeRefusedException.class);
		assertThat(((HandshakeRefusedException) failure).statusCode()).isEqualTo(401);
	}

	@Test
	void theCallerOfABasicAuthenticatedConnectionIsKnownToTheService() {
		Netron client = nodes.client();
		RemotePeer peer = client
			.connect(java.net.URI.create(TestNodes.url(server)), ConnectOptions.defaults().withHeaders(() -> basic("alice", "alice-pw")))
			.join();
		RemoteService vault = peer.queryInterface("vault@1.0.0");
		assertThat(vault.call("whoAmI").join()).isEqualTo("alice|alice|" + client.id() + "|127.0.0.1");
		assertThat(vault.call("whoAmILater").join()).isEqualTo("alice|alice");
		// the thread that ran the wrapped task does not keep the caller afterwards
		assertThat(vault.call("leftover").join()).isEqualTo("alice");
		assertThat(vault.call("secret").join()).isEqualTo("42");
		peer.disconnect();
	}

	@Test
	void aBearerJwtAuthenticatesTheConnection() throws Exception {
		RemotePeer peer = connect(Map.of("Authorization", "Bearer " + jwt("carol", "admin"))).join();
		RemoteService vault = peer.queryInterface("vault@1.0.0");
		assertThat(vault.call("whoAmILater").join()).isEqualTo("carol|carol");
		assertThat(vault.call("secret").join()).isEqualTo("42");
		peer.disconnect();
		RemotePeer reader = connect(Map.of("Authorization", "Bearer " + jwt("dave", "read"))).join();
		assertThat(remoteFailure(reader.queryInterface("vault@1.0.0").call("secret")))
			.isInstanceOf(RemoteAccessDeniedException.class);
		reader.disconnect();
	}

	@Test
	void preAuthorizeRefusesOtherRolesWithAnAccessDeniedError() {
		RemotePeer peer = connect(basic("bob", "bob-pw")).join();
		RemoteService vault = peer.queryInterface("vault@1.0.0");
		Throwable refused = remoteFailure(vault.call("secret"));
		assertThat(refused).isInstanceOf(RemoteAccessDeniedException.class)
			.hasMessage("AccessDeniedError: Access denied to vault@1.0.0.secret: Access Denied");
		JsError error = ((RemoteAccessDeniedException) refused).error();
		assertThat(error.stack()).isEqualTo("AccessDeniedError: Access denied to vault@1.0.0.secret: Access Denied");
		assertThat(error.customFields()).isEmpty();
		// properties: the getter and setter carry the rule
		assertThat(remoteFailure(vault.get("motto"))).isInstanceOf(RemoteAccessDeniedException.class)
			.hasMessage("AccessDeniedError: Access denied to vault@1.0.0.motto: Access Denied");
		assertThat(remoteFailure(vault.set("motto", "mine"))).isInstanceOf(RemoteAccessDeniedException.class);
		// the connection keeps serving what bob may do
		assertThat(vault.call("whoAmILater").join()).isEqualTo("bob|bob");
		peer.disconnect();

		RemotePeer admin = connect(basic("alice", "alice-pw")).join();
		RemoteService adminVault = admin.queryInterface("vault@1.0.0");
		adminVault.set("motto", "ours").join();
		assertThat(adminVault.get("motto").join()).isEqualTo("ours");
		admin.disconnect();
	}

	@Test
	void aRawFrameCallerSeesTheRefusalAsAnAccessDeniedError() throws Exception {
		PacketCodec codec = new PacketCodec();
		String url = TestNodes.url(server) + "?id=raw-bob";
		try (RawWebSocket socket = new RawWebSocket(url, basic("bob", "bob-pw"))) {
			assertThat(socket.next()).isInstanceOf(String.class);
			socket.send(codec.encode(Packet.request(1, PacketType.TASK, List.of("abilities", Map.of()))));
			Packet abilities = codec.decode((byte[]) socket.next());
			@SuppressWarnings("unchecked")
			Map<String, Object> services = (Map<String, Object>) ((Map<String, Object>) abilities.data()).get("services");
			String defId = ((io.netron.protocol.Definition) services.get("vault@1.0.0")).id();
			socket.send(codec.encode(Packet.request(2, PacketType.CALL, List.of(defId, "secret"))));
			Packet answer = codec.decode((byte[]) socket.next());
			assertThat(answer.id()).isEqualTo(2);
			assertThat(answer.isError()).isTrue();
			JsError error = (JsError) answer.data();
			assertThat(error.name()).isEqualTo("AccessDeniedError");
			assertThat(error.getMessage()).isEqualTo("Access denied to vault@1.0.0.secret: Access Denied");
		}
	}

	@Test
	void anotherPrincipalCannotTakeOverAConnectedNodeId() {
		Netron alice = nodes.client(NetronOptions.defaults().withId("node-a").withRequestTimeout(Duration.ofSeconds(3)));
		RemotePeer first = alice.connect(java.net.URI.create(TestNodes.url(server)),
				ConnectOptions.defaults().withHeaders(() -> basic("alice", "alice-pw"))).join();
		Netron mallory = nodes.client(NetronOptions.defaults().withId("node-a").withRequestTimeout(Duration.ofSeconds(3)));
		Throwable refused = Failures.unwrap(catchThrowable(() -> mallory.connect(java.net.URI.create(TestNodes.url(server)),
				ConnectOptions.defaults().withHeaders(() -> basic("bob", "bob-pw"))).join()));
		assertThat(refused).isInstanceOf(HandshakeRefusedException.class)
			.hasMessageContaining("HTTP 409")
			.hasMessageContaining("node id 'node-a' is already connected as principal 'alice', and this connection is principal 'bob'");
		// the first connection is untouched, and the server still finds node-a as alice
		assertThat(first.queryInterface("vault@1.0.0").call("whoAmI").join()).isEqualTo("alice|alice|node-a|127.0.0.1");
		assertThat(TestNodes.netron(server).peer("node-a").orElseThrow().principal().getName()).isEqualTo("alice");
		// the same principal may open a second connection under its id
		Netron aliceAgain = nodes.client(NetronOptions.defaults().withId("node-a"));
		RemotePeer second = aliceAgain.connect(java.net.URI.create(TestNodes.url(server)),
				ConnectOptions.defaults().withHeaders(() -> basic("alice", "alice-pw"))).join();
		assertThat(second.queryInterface("vault@1.0.0").call("whoAmI").join()).isEqualTo("alice|alice|node-a|127.0.0.1");
		first.disconnect();
		second.disconnect();
	}

	private static CompletableFuture<RemotePeer> connect(Map<String, String> headers) {
		return nodes.client().connect(java.net.URI.create(TestNodes.url(server)), ConnectOptions.defaults().withHeaders(() -> headers));
	}

	private static Map<String, String> basic(String user, String password) {
		return Map.of("Authorization", "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
	}

	private static Throwable remoteFailure(CompletableFuture<?> call) {
		return Failures.unwrap(catchThrowable(() -> call.get(5, TimeUnit.SECONDS)));
	}

	static String jwt(String subject, String scope) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject(subject)
			.claim("scope", scope)
			.expirationTime(new Date(System.currentTimeMillis() + 60_000))
			.build());
		jwt.sign(new RSASSASigner(JWT_KEYS.getPrivate()));
		return jwt.serialize();
	}

	private static KeyPair rsaKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The application: Spring Security on, the Netron endpoint behind HTTP Basic or a bearer JWT,
	 * configured the servlet way or the WebFlux way, whichever stack it runs on.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableMethodSecurity
	@Import(Jwts.class)
	public static class SecureApplication {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		static class OnServlets {

			@Bean
			SecurityFilterChain netronSecurity(HttpSecurity http) throws Exception {
				http.securityMatcher("/netron/**")
					.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
					.httpBasic(Customizer.withDefaults())
					.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
					.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
					.csrf((csrf) -> csrf.disable());
				return http.build();
			}

			@Bean
			UserDetailsService users() {
				return new InMemoryUserDetailsManager(alice(), bob());
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		static class OnWebFlux {

			@Bean
			SecurityWebFilterChain netronSecurity(ServerHttpSecurity http) {
				return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/netron/**", "/netron"))
					.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
					.httpBasic(Customizer.withDefaults())
					.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
					.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
					.csrf(ServerHttpSecurity.CsrfSpec::disable)
					.build();
			}

			@Bean
			MapReactiveUserDetailsService users() {
				return new MapReactiveUserDetailsService(alice(), bob());
			}

		}

	}

	/** The JWT decoder of both applications: the servlet kind, or the reactive one on WebFlux. */
	@Configuration(proxyBeanMethods = false)
	static class Jwts {

		@Bean
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		JwtDecoder jwtDecoder() {
			return NimbusJwtDecoder.withPublicKey((RSAPublicKey) JWT_KEYS.getPublic()).build();
		}

		@Bean
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		ReactiveJwtDecoder reactiveJwtDecoder() {
			return NimbusReactiveJwtDecoder.withPublicKey((RSAPublicKey) JWT_KEYS.getPublic()).build();
		}

	}

	private static UserDetails alice() {
		return User.withUsername("alice").password("{noop}alice-pw").roles("ADMIN").build();
	}

	private static UserDetails bob() {
		return User.withUsername("bob").password("{noop}bob-pw").roles("USER").build();
	}

	/**
	 * Spring Security on, upgrades open to all: Titan-generation peers authenticate with the
	 * authenticate task, through the AuthenticationManager bean and the JwtDecoder bean (on
	 * WebFlux, the ReactiveAuthenticationManager bean and the ReactiveJwtDecoder bean).
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableMethodSecurity
	@Import(Jwts.class)
	public static class TaskAuthenticatedApplication {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		static class OnServlets {

			@Bean
			SecurityFilterChain openNetron(HttpSecurity http) throws Exception {
				http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).csrf((csrf) -> csrf.disable());
				return http.build();
			}

			@Bean
			UserDetailsService users() {
				return new InMemoryUserDetailsManager(alice());
			}

			@Bean
			AuthenticationManager authenticationManager(UserDetailsService users) {
				return new ProviderManager(new DaoAuthenticationProvider(users));
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		static class OnWebFlux {

			@Bean
			SecurityWebFilterChain openNetron(ServerHttpSecurity http) {
				return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
					.csrf(ServerHttpSecurity.CsrfSpec::disable)
					.build();
			}

			@Bean
			MapReactiveUserDetailsService users() {
				return new MapReactiveUserDetailsService(alice());
			}

			@Bean
			ReactiveAuthenticationManager authenticationManager(MapReactiveUserDetailsService users) {
				return new UserDetailsRepositoryReactiveAuthenticationManager(users);
			}

		}

	}

	@NetronService("vault@1.0.0")
	public static class Vault {

		private final ExecutorService executor = Executors.newSingleThreadExecutor();

		@Public
		private String motto = "hello";

		@Public
		public String whoAmI() {
			NetronContext context = NetronContext.current();
			return context.principalName() + "|" + SecurityContextHolder.getContext().getAuthentication().getName() + "|"
					+ context.peerId() + "|" + context.remoteAddress().replaceAll("^/?([^:]+):\\d+$", "$1");
		}

		/** What the executor's thread holds once a wrapped task is done: nothing. */
		@Public
		public String leftover() throws Exception {
			String mine = SecurityContextHolder.getContext().getAuthentication().getName();
			Object onOtherThread = this.executor.submit(() -> String.valueOf(SecurityContextHolder.getContext().getAuthentication()))
				.get();
			return onOtherThread.equals("null") ? mine : "leaked: " + onOtherThread;
		}

		@Public
		public CompletableFuture<String> whoAmILater() {
			return CompletableFuture.supplyAsync(() -> NetronContext.current().principalName() + "|"
					+ SecurityContextHolder.getContext().getAuthentication().getName(), NetronContext.wrap(this.executor));
		}

		@Public
		@PreAuthorize("hasRole('ADMIN') or hasAuthority('SCOPE_admin')")
		public String secret() {
			return "42";
		}

		@PreAuthorize("hasRole('ADMIN')")
		public String getMotto() {
			return this.motto;
		}

		@PreAuthorize("hasRole('ADMIN')")
		public void setMotto(String motto) {
			this.motto = motto;
		}

	}

}
