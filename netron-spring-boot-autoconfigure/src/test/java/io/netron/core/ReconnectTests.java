package io.netron.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Connections this node opened come back after the server restarts, with their proxies and
 * event subscriptions, and stay down after a manual disconnect or the last allowed attempt.
 */
class ReconnectTests {

	private final TestNodes nodes = new TestNodes();

	@AfterEach
	void stop() throws Exception {
		this.nodes.close();
	}

	private ConfigurableApplicationContext server(int port) {
		return this.nodes.server(new Class<?>[] { TestServices.Calculator.class }, "server.port=" + port);
	}

	@Test
	void proxiesAndSubscriptionsSurviveAServerRestart() {
		ConfigurableApplicationContext first = server(0);
		int port = TestNodes.port(first);
		RemotePeer peer = this.nodes.client().connect(TestNodes.url(first)).join();
		CalculatorClient calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
		List<Object> news = new CopyOnWriteArrayList<>();
		peer.subscribe("news", (args) -> news.add(args.get(0))).join();
		assertThat(calculator.add(1, 2)).isEqualTo(3);
		String firstServerId = peer.id();

		first.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> !peer.isConnected());
		assertThatExceptionOfType(PeerDisconnectedException.class).isThrownBy(() -> calculator.add(1, 2))
			.withMessageContaining("is not connected (reconnecting)");

		ConfigurableApplicationContext second = server(port);
		await().atMost(Duration.ofSeconds(10)).until(peer::isConnected);
		assertThat(peer.id()).isEqualTo(TestNodes.netron(second).id()).isNotEqualTo(firstServerId);
		assertThat(calculator.add(2, 3)).isEqualTo(5);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			TestNodes.netron(second).emit("news", "back").join();
			assertThat(news).contains("back");
		});
	}

	@Test
	void manualDisconnectNeverReconnects() {
		ConfigurableApplicationContext server = server(0);
		Netron client = this.nodes.client();
		RemotePeer peer = client.connect(TestNodes.url(server)).join();
		peer.disconnect();
		assertThat(peer.isClosed()).isTrue();
		await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> !peer.isConnected());
		assertThat(client.peers()).isEmpty();
		assertThat(TestNodes.netron(server).peers()).isEmpty();
	}

	@Test
	void givesUpAfterTheConfiguredAttempts() {
		ConfigurableApplicationContext server = server(0);
		Netron client = this.nodes.client(NetronOptions.defaults()
			.withReconnect(new NetronOptions.Reconnect(true, Duration.ofMillis(50), Duration.ofMillis(100), 3)));
		RemotePeer peer = client.connect(TestNodes.url(server)).join();
		server.close();
		await().atMost(Duration.ofSeconds(10)).until(peer::isClosed);
		assertThat(peer.isConnected()).isFalse();
		assertThat(client.peers()).isEmpty();
	}

}
