package io.netron.autoconfigure;

import io.netron.NetronTestApplication;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netron.NetronException;
import io.netron.annotation.EnableNetronClients;
import io.netron.autoconfigure.clients.CalcClient;
import io.netron.autoconfigure.serverapp.CalcServerApplication;
import io.netron.client.NetronPeers;
import io.netron.core.Netron;
import io.netron.core.RemoteInvocationException;
import io.netron.core.RemotePeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code @NetronClient} beans against a real server application, configured peers, health and
 * graceful shutdown.
 */
class NetronClientTests {

	private final java.util.List<ConfigurableApplicationContext> contexts = new java.util.ArrayList<>();

	@AfterEach
	void close() {
		java.util.Collections.reverse(this.contexts);
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext server(String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(CalcServerApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private ConfigurableApplicationContext client(String url, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClientApp.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "netron.peers.calc.url=" + url, "netron.request-timeout=3s")
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private static String url(ConfigurableApplicationContext server) {
		return "ws://127.0.0.1:" + ((WebServerApplicationContext) server).getWebServer().getPort() + "/netron";
	}

	@Test
	void injectedClientCallsTheRemoteService() throws Exception {
		ConfigurableApplicationContext server = server();
		ConfigurableApplicationContext client = client(url(server));
		CalcClient calc = client.getBean(CalcClient.class);
		assertThat(client.getBean("calcClient")).isSameAs(calc);
		assertThat(calc.add(40, 2)).isEqualTo(42);
		assertThat(calc.addAsync(1, 2).get(5, TimeUnit.SECONDS)).isEqualTo(3);
		assertThat(calc.version()).isEqualTo("1.2.0");
		CalcClient.CounterClient counter = calc.counter();
		assertThat(counter.increment()).isEqualTo(1);
		assertThat(counter.increment()).isEqualTo(2);
		assertThat(calc.toString()).isEqualTo("NetronClient[CalcClient -> calc@^1.0.0 on peer 'calc']");
	}

	@Test
	void aPeerWhoseHostCannotBeResolvedIsToldSoNotAsRefused() {
		ConfigurableApplicationContext client = client("ws://no-such-host.invalid:8080/netron");
		CalcClient calc = client.getBean(CalcClient.class);
		assertThatExceptionOfType(NetronException.class).isThrownBy(() -> calc.add(1, 2))
			.withMessage("Netron peer 'calc' (ws://no-such-host.invalid:8080/netron) is unreachable: Cannot connect to "
					+ "ws://no-such-host.invalid:8080/netron: the host 'no-such-host.invalid' cannot be resolved "
					+ "(no such name, or no name server answered)");
	}

	@Test
	void unreachablePeerFailsFastNamingPeerAndUrl() {
		ConfigurableApplicationContext client = client("ws://127.0.0.1:1/netron");
		CalcClient calc = client.getBean(CalcClient.class);
		assertThatExceptionOfType(NetronException.class).isThrownBy(() -> calc.add(1, 2))
			.withMessage("Netron peer 'calc' (ws://127.0.0.1:1/netron) is unreachable: Cannot connect to "
					+ "ws://127.0.0.1:1/netron: connection refused");
		assertThat(calc.addAsync(1, 2)).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(NetronException.class)
			.withMessageStartingWith("Netron peer 'calc' (ws://127.0.0.1:1/netron) is unreachable");
		Health health = client.getBean(NetronHealthIndicator.class).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails().get("peers"))
			.isEqualTo(Map.of("calc", Map.of("url", "ws://127.0.0.1:1/netron", "status", "OUT_OF_SERVICE")));
	}

	@Test
	void clientStartsBeforeItsPeerAndConnectsOnFirstUse() {
		ConfigurableApplicationContext server = server();
		String url = url(server);
		server.close();
		ConfigurableApplicationContext client = client(url);
		NetronPeers peers = client.getBean(NetronPeers.class);
		assertThat(peers.attempted("calc")).isFalse();
		assertThat(client.getBean(NetronHealthIndicator.class).health(true).getDetails().get("peers"))
			.isEqualTo(Map.of("calc", Map.of("url", url, "status", "UNKNOWN")));
		int port = java.net.URI.create(url).getPort();
		server(("server.port=" + port));
		assertThat(client.getBean(CalcClient.class).add(2, 2)).isEqualTo(4);
		assertThat(client.getBean(NetronHealthIndicator.class).health(true).getDetails().get("peers"))
			.isEqualTo(Map.of("calc", Map.of("url", url, "status", "UP")));
	}

	@Test
	void eagerPeerConnectsWhileStarting() {
		ConfigurableApplicationContext server = server();
		ConfigurableApplicationContext client = client(url(server), "netron.peers.calc.eager=true");
		RemotePeer peer = client.getBean(NetronPeers.class).current().get("calc");
		assertThat(peer).isNotNull();
		assertThat(peer.isConnected()).isTrue();
		assertThat(peer.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void perPeerRequestTimeoutOverridesTheGlobalOne() {
		ConfigurableApplicationContext server = server();
		ConfigurableApplicationContext client = client(url(server), "netron.peers.calc.request-timeout=250ms");
		assertThat(client.getBean(NetronPeers.class).peer("calc").requestTimeout()).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void gracefulShutdownLetsCallsInFlightFinishAndRefusesNewOnes() throws Exception {
		ConfigurableApplicationContext server = server("netron.shutdown-timeout=10s");
		CalcServerApplication.Calc calcService = server.getBean(CalcServerApplication.Calc.class);
		ConfigurableApplicationContext client = client(url(server));
		RemotePeer peer = client.getBean(NetronPeers.class).peer("calc");
		CompletableFuture<Object> inFlight = peer.queryInterface("calc").call("slow");
		assertThat(calcService.started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
		Netron serverNode = server.getBean(Netron.class);
		await().atMost(Duration.ofSeconds(5)).until(serverNode::isDraining);
		assertThat(peer.queryInterface("calc").call("add", 1, 2)).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(RemoteInvocationException.class)
			.withMessageEndingWith("is shutting down: request refused");
		calcService.finish.countDown();
		assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		stopping.get(10, TimeUnit.SECONDS);
	}

	@Test
	void aHealthCheckBringsBackAPeerThatRestartedWithoutWaitingForTheBackoff() {
		ConfigurableApplicationContext first = server();
		int port = ((WebServerApplicationContext) first).getWebServer().getPort();
		ConfigurableApplicationContext client = client(url(first), "netron.reconnect.initial-delay=30s",
				"netron.reconnect.max-delay=30s");
		CalcClient calc = client.getBean(CalcClient.class);
		assertThat(calc.add(1, 1)).isEqualTo(2);
		first.close();
		NetronHealthIndicator health = client.getBean(NetronHealthIndicator.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> peerStatus(health).equals("OUT_OF_SERVICE"));
		server("server.port=" + port);
		// the backoff's next attempt is 30 s away; health checks (every 100 ms here) try at once
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
			.until(() -> peerStatus(health).equals("UP"));
		assertThat(calc.add(2, 2)).isEqualTo(4);
	}

	@SuppressWarnings("unchecked")
	private static String peerStatus(NetronHealthIndicator health) {
		Map<String, Object> peers = (Map<String, Object>) health.health(true).getDetails().get("peers");
		return String.valueOf(((Map<String, Object>) peers.get("calc")).get("status"));
	}

	@NetronTestApplication
	@EnableNetronClients(clients = CalcClient.class)
	static class ClientApp {

	}

}
