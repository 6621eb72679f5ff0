package io.netron.core;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.netron.annotation.NetronProperty;
import io.netron.stream.NetronReadableStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A Java node as a client of a Titan-generation server (a scripted server on a real socket that
 * answers with the frames of {@code wire-vectors/titan}), and Java nodes talking to each other in
 * each generation.
 */
class TitanGenerationTests {

	private final TestNodes nodes = new TestNodes();

	private ScriptedTitanServer script;

	private String titanUrl;

	@BeforeEach
	void startScriptedServer() {
		ConfigurableApplicationContext context = this.nodes.server(new Class<?>[] { ScriptedTitanServer.Endpoint.class },
				"netron.server.enabled=false");
		this.script = context.getBean(ScriptedTitanServer.class);
		this.titanUrl = "ws://127.0.0.1:" + TestNodes.port(context) + "/titan";
	}

	@AfterEach
	void stop() throws Exception {
		this.nodes.close();
	}

	@Test
	void binaryIdFrameMakesATitanConnectionAnsweredWithABinaryClientIdFirstAndNoAbilities() throws Exception {
		Netron client = this.nodes.client();
		RemotePeer peer = client.connect(this.titanUrl).get(5, TimeUnit.SECONDS);
		assertThat(peer.id()).isEqualTo(ScriptedTitanServer.SERVER_ID);
		assertThat(peer.generationSpoken()).isEqualTo(ProtocolGeneration.TITAN);
		// connect completes once the client-id is sent; the server reads it a moment later
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(this.script.firstFrames)
			.containsExactly("binary:{\"type\":\"client-id\",\"id\":\"" + client.id() + "\"}"));
		assertThat(this.script.queries).containsExactly("id=" + client.id());
		// nothing listed: the services are looked up when used
		assertThat(peer.serviceNames()).isEmpty();
		RemoteService conformance = peer.queryInterface("conformance@1.0.0");
		assertThat(conformance.definition().id()).isEqualTo(ScriptedTitanServer.DEF_ID);
		assertThat(conformance.call("echo", "hi").get(5, TimeUnit.SECONDS)).isEqualTo("hi");
		assertThat(conformance.call("add", 2, 3).get(5, TimeUnit.SECONDS)).isEqualTo(5);
		assertThat(conformance.get("version").get(5, TimeUnit.SECONDS)).isEqualTo("1.0.0");
		assertThat(this.script.received).noneMatch((packet) -> packet.data() instanceof List<?> data
				&& "abilities".equals(data.get(0)));
	}

	@Test
	void servicesAreLookedUpOnDemandVersionlessTypedAndMissing() throws Exception {
		RemotePeer peer = this.nodes.client().connect(this.titanUrl).get(5, TimeUnit.SECONDS);
		RemoteService latest = peer.queryInterfaceAsync("conformance").get(5, TimeUnit.SECONDS);
		assertThat(latest.metadata().qualifiedName()).isEqualTo("conformance@1.0.0");
		Conformance typed = peer.queryInterface("conformance@^1.0.0", Conformance.class);
		assertThat(typed.add(40, 2)).isEqualTo(42);
		assertThat(typed.version()).isEqualTo("1.0.0");
		assertThatExceptionOfType(UnknownServiceException.class).isThrownBy(() -> peer.queryInterface("nosuch@9.9.9"))
			.withMessageContaining("Unknown service: nosuch@9.9.9.")
			.withMessageContaining("Service 'nosuch@9.9.9' not found");
		assertThatExceptionOfType(UnknownServiceException.class).isThrownBy(() -> peer.queryInterface("conformance@^2.0.0"))
			.withMessageContaining("offers conformance@1.0.0 as its highest version");
	}

	@Test
	void errorsOfBothKindsReachTheCaller() throws Exception {
		RemotePeer peer = this.nodes.client().connect(this.titanUrl).get(5, TimeUnit.SECONDS);
		CompletableFuture<Object> plain = peer.queryInterface("conformance@1.0.0").call("fail", "boom");
		assertThatExceptionOfType(CompletionException.class).isThrownBy(plain::join)
			.havingCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.remoteName()).isEqualTo("Error");
				assertThat(ex.remoteMessage()).isEqualTo("boom");
				assertThat(ex.remoteCode()).isZero();
			});
		CompletableFuture<Object> titan = peer.queryInterface("extrasvc@1.0.0").call("titanFail", "zzz");
		assertThatExceptionOfType(CompletionException.class).isThrownBy(titan::join)
			.havingCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.remoteName()).isEqualTo("TitanError");
				assertThat(ex.remoteCode()).isEqualTo(404);
				assertThat(ex.remoteMessage()).isEqualTo("Thing with id zzz not found");
				assertThat(ex.details()).containsEntry("resource", "Thing").containsEntry("id", "zzz");
				assertThat(ex).hasMessage("TitanError 404: Thing with id zzz not found");
			});
	}

	@Test
	void liveStreamsAndStreamCloseFromATitanServer() throws Exception {
		RemotePeer peer = this.nodes.client().connect(this.titanUrl).get(5, TimeUnit.SECONDS);
		NetronReadableStream<?> numbers = (NetronReadableStream<?>) peer.queryInterface("conformance@1.0.0")
			.call("numbers", 5)
			.get(5, TimeUnit.SECONDS);
		assertThat(new java.util.ArrayList<Object>(numbers.toList().get(5, TimeUnit.SECONDS))).containsExactly(0, 1, 2, 3, 4);
		NetronReadableStream<?> failing = (NetronReadableStream<?>) peer.queryInterface("extrasvc@1.0.0")
			.call("failingStream", 1)
			.get(5, TimeUnit.SECONDS);
		assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> failing.toList().join())
			.withMessageContaining("stream boom");
	}

	@Test
	void javaNodesTalkInEitherGenerationChosenByTheClient() throws Exception {
		ConfigurableApplicationContext server = this.nodes.server(new Class<?>[] { TestServices.Calculator.class });
		Netron serverNode = TestNodes.netron(server);
		Netron client = this.nodes.client();
		RemotePeer seed = client.connect(URI.create(TestNodes.url(server))).get(5, TimeUnit.SECONDS);
		RemotePeer titan = client
			.connect(URI.create(TestNodes.url(server) + "?x=1"), ConnectOptions.defaults().withGeneration(ProtocolGeneration.TITAN))
			.get(5, TimeUnit.SECONDS);
		assertThat(seed.generationSpoken()).isEqualTo(ProtocolGeneration.SEED);
		assertThat(titan.generationSpoken()).isEqualTo(ProtocolGeneration.TITAN);
		// the seed-era peer listed its services; the Titan one is asked for each
		assertThat(seed.serviceNames()).contains("calculator@1.0.0");
		assertThat(titan.serviceNames()).isEmpty();
		for (RemotePeer peer : List.of(seed, titan)) {
			CalculatorClient calculator = peer.queryInterface("calculator@^1.0.0", CalculatorClient.class);
			assertThat(calculator.add(2, 3)).isEqualTo(5);
			assertThatExceptionOfType(RemoteInvocationException.class).isThrownBy(() -> calculator.fail("nope"))
				.satisfies((ex) -> assertThat(ex.remoteMessage()).isEqualTo("nope"));
		}
		// on the server, each connection speaks the generation its first frame chose
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(serverNode.peers())
			.filteredOn((peer) -> peer.id().equals(client.id()))
			.extracting(RemotePeer::generationSpoken)
			.contains(ProtocolGeneration.TITAN));
		// Netron's own refusals: a plain Error to the seed-era peer, a TitanError to the Titan one
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> seed.runTask("nosuch").join())
			.havingCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.remoteCode()).isZero();
				assertThat(ex.remoteMessage()).isEqualTo("Task not found: nosuch");
			});
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> titan.runTask("nosuch").join())
			.havingCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.remoteCode()).isEqualTo(404);
				assertThat(ex.remoteMessage()).isEqualTo("Task with id nosuch not found");
				assertThat(ex.details()).isEqualTo(Map.of("resource", "Task", "id", "nosuch"));
			});
	}

	/** A typed view of the captured {@code conformance@1.0.0}. */
	interface Conformance {

		int add(int a, int b);

		@NetronProperty("version")
		String version();

	}

}
