package io.netron.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.netron.NetronTestApplication;
import io.netron.client.NetronHandshakeHeaders;
import io.netron.client.NetronPeers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@code wss://} between two Spring Boot applications: the server on HTTPS with
 * {@code server.ssl.bundle}, the client trusting it through {@code netron.peers.<name>.ssl.bundle},
 * both bundles made from a self-signed certificate generated here with the JDK's keytool; the
 * client's credentials from {@code netron.peers.<name>.headers} and a
 * {@link NetronHandshakeHeaders} bean asked again at every reconnect.
 */
class TlsTests {

	private static final TestNodes nodes = new TestNodes();

	@TempDir
	static Path keys;

	private static ConfigurableApplicationContext server;

	@BeforeAll
	static void start() throws Exception {
		keytool("-genkeypair", "-alias", "netron", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
				"CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-keystore", keys.resolve("server.p12").toString(),
				"-storetype", "PKCS12", "-storepass", "secret", "-keypass", "secret");
		keytool("-exportcert", "-alias", "netron", "-keystore", keys.resolve("server.p12").toString(), "-storepass",
				"secret", "-file", keys.resolve("server.cer").toString());
		keytool("-importcert", "-noprompt", "-alias", "netron", "-file", keys.resolve("server.cer").toString(),
				"-keystore", keys.resolve("trust.p12").toString(), "-storetype", "PKCS12", "-storepass", "secret");
		server = nodes.server(SecurityTests.SecureApplication.class, new Class<?>[] { SecurityTests.Vault.class },
				"server.ssl.bundle=netron-server",
				"spring.ssl.bundle.jks.netron-server.keystore.location=file:" + keys.resolve("server.p12"),
				"spring.ssl.bundle.jks.netron-server.keystore.password=secret",
				"spring.ssl.bundle.jks.netron-server.keystore.type=PKCS12");
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@Test
	void aClientReachesAnHttpsNodeThroughItsSslBundleWithChangingCredentials() {
		AtomicReference<String> user = new AtomicReference<>("alice");
		AtomicInteger asked = new AtomicInteger();
		try (ConfigurableApplicationContext client = new SpringApplicationBuilder(ClientApplication.class)
			.web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("tokens",
					(NetronHandshakeHeaders) (peer) -> {
						asked.incrementAndGet();
						return Map.of("Authorization", basic(user.get()));
					}))
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN", "netron.id=tls-client",
					"netron.peers.vault.url=wss://localhost:" + TestNodes.port(server) + "/netron",
					"netron.peers.vault.ssl.bundle=netron-client", "netron.peers.vault.headers.Authorization=" + basic("bob"),
					"netron.peers.vault.headers.X-Client=tls-test", "netron.reconnect.initial-delay=100ms",
					"spring.ssl.bundle.jks.netron-client.truststore.location=file:" + keys.resolve("trust.p12"),
					"spring.ssl.bundle.jks.netron-client.truststore.password=secret",
					"spring.ssl.bundle.jks.netron-client.truststore.type=PKCS12")
			.run()) {
			RemotePeer peer = client.getBean(NetronPeers.class).peer("vault");
			// the bean's Authorization wins over the static one
			assertThat(peer.queryInterface("vault@1.0.0").call("whoAmI").join()).isEqualTo("alice|alice|tls-client|127.0.0.1");
			assertThat(asked.get()).isEqualTo(1);
			// the token changes; the server drops the connection; the reconnect asks again
			user.set("bob");
			TestNodes.netron(server).disconnect("tls-client");
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(
					peer.queryInterface("vault@1.0.0").call("whoAmI").get(2, TimeUnit.SECONDS)).isEqualTo("bob|bob|tls-client|127.0.0.1"));
			assertThat(asked.get()).isGreaterThanOrEqualTo(2);
		}
	}

	@Test
	void anHttpsPeerIsCalledOverTheHttpTransportThroughItsSslBundle() {
		try (ConfigurableApplicationContext client = new SpringApplicationBuilder(ClientApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN", "netron.id=https-client",
					"netron.peers.vault.url=https://localhost:" + TestNodes.port(server) + "/netron",
					"netron.peers.vault.ssl.bundle=netron-client", "netron.peers.vault.headers.Authorization=" + basic("bob"),
					"spring.ssl.bundle.jks.netron-client.truststore.location=file:" + keys.resolve("trust.p12"),
					"spring.ssl.bundle.jks.netron-client.truststore.password=secret",
					"spring.ssl.bundle.jks.netron-client.truststore.type=PKCS12")
			.run()) {
			RemotePeer peer = client.getBean(NetronPeers.class).peer("vault");
			assertThat(peer.generationSpoken()).isEqualTo(ProtocolGeneration.TITAN);
			assertThat(String.valueOf(peer.queryInterface("vault@1.0.0").call("whoAmI").join())).startsWith("bob|bob|");
		}
		// the JDK's default trust does not know the self-signed certificate: the call says why it failed
		RemotePeer untrusting = nodes.client()
			.connect(java.net.URI.create("https://localhost:" + TestNodes.port(server) + "/netron"),
					ConnectOptions.defaults().withConnector(new io.netron.transport.HttpConnector()))
			.join();
		Throwable failure = Failures.unwrap(catchThrowable(() -> untrusting.queryInterface("vault@1.0.0")));
		assertThat(failure).hasMessageContaining("https://localhost:" + TestNodes.port(server) + "/netron");
	}

	@Test
	void aClientWithoutTheTrustCannotConnect() {
		Throwable failure = Failures.unwrap(catchThrowable(() -> nodes.client()
			.connect("wss://localhost:" + TestNodes.port(server) + "/netron")
			.get(10, TimeUnit.SECONDS)));
		assertThat(failure).isInstanceOf(PeerDisconnectedException.class).hasMessageContaining("Cannot connect to wss://localhost:");
	}

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
	}

	private static void keytool(String... args) throws Exception {
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
	}

	@NetronTestApplication
	static class ClientApplication {

	}

}
