package io.netron.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Connections this node opened come back after the server restarts, with their proxies and
 * event subscriptions, and stay down after a manual disconnect or the last allowed attempt.
 */
@ExtendWith(OutputCaptureExtension.class)
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

	/**
	 * A sub-service proxy held across a restart of its peer fails at once with a typed exception
	 * saying what was lost and what to do (it used to send its old definition and fail for good
	 * with "Unknown definition"); a new one asked for after the restart works.
	 */
	@Test
	void aSubServiceHeldAcrossARestartFailsSayingItWasLostWithItsConnection() {
		ConfigurableApplicationContext first = server(0);
		int port = TestNodes.port(first);
		RemotePeer peer = this.nodes.client().connect(TestNodes.url(first)).join();
		CalculatorClient calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
		CalculatorClient.CounterClient counter = calculator.newCounter();
		assertThat(counter.increment()).isEqualTo(1);
		first.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> !peer.isConnected());
		server(port);
		await().atMost(Duration.ofSeconds(10)).until(peer::isConnected);
		assertThatExceptionOfType(SubServiceLostException.class).isThrownBy(counter::increment)
			.withMessageStartingWith("Sub-service counter@1.0.0 (definition ")
			.withMessageEndingWith("of peer " + peer.id() + " was lost with the connection that handed it out: the peer "
					+ "reconnected or restarted since. Ask the service that returned it for a new one");
		assertThat(calculator.newCounter().increment()).isEqualTo(1);
	}

	/**
	 * Over the Titan generation nothing is listed on reconnect: a proxy held across the restart
	 * looks its service up again with query_interface on its next call (the definition ids changed).
	 */
	@Test
	void titanGenerationProxiesLookTheirServiceUpAgainAfterARestart() {
		ConfigurableApplicationContext first = server(0);
		int port = TestNodes.port(first);
		RemotePeer peer = this.nodes.client()
			.connect(java.net.URI.create(TestNodes.url(first)), ConnectOptions.defaults().withGeneration(ProtocolGeneration.TITAN))
			.join();
		CalculatorClient calculator = peer.queryInterface("calculator@^1.0.0", CalculatorClient.class);
		List<Object> news = new CopyOnWriteArrayList<>();
		peer.subscribe("news", (args) -> news.add(args.get(0))).join();
		assertThat(calculator.add(1, 2)).isEqualTo(3);
		String firstDefinition = peer.services().get("calculator@1.0.0").id();

		first.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> !peer.isConnected());
		ConfigurableApplicationContext second = server(port);
		await().atMost(Duration.ofSeconds(10)).until(peer::isConnected);
		assertThat(peer.generationSpoken()).isEqualTo(ProtocolGeneration.TITAN);
		assertThat(calculator.add(2, 3)).isEqualTo(5);
		assertThat(peer.services().get("calculator@1.0.0").id()).isNotEqualTo(firstDefinition)
			.isEqualTo(TestNodes.netron(second).localPeer().services().get("calculator@1.0.0").id());
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

	@Test
	void tenRestartsUnderLoadNeverLeaveAProxyOnAnOldDefinition() throws Exception {
		ConfigurableApplicationContext server = server(0);
		int port = TestNodes.port(server);
		RemotePeer peer = this.nodes.client().connect(TestNodes.url(server)).join();
		CalculatorClient calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
		// state = 2 x restarts + 1 while up: a call is judged only when it started and ended in one "up" state
		java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger(1);
		java.util.concurrent.atomic.AtomicInteger successes = new java.util.concurrent.atomic.AtomicInteger();
		// the "down" state whose new server is listening: only calls started after that count as its first success
		java.util.concurrent.atomic.AtomicInteger restarted = new java.util.concurrent.atomic.AtomicInteger(-1);
		List<String> violations = new CopyOnWriteArrayList<>();
		java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
		Thread load = new Thread(() -> {
			while (running.get()) {
				int started = state.get();
				boolean afterRestart = restarted.get() == started;
				try {
					assertThat(calculator.add(1, 2)).isEqualTo(3);
					successes.incrementAndGet();
					if (started % 2 == 0 && afterRestart) {
						// the first success after a restart: the peer is up again
						state.compareAndSet(started, started + 1);
					}
				}
				catch (RuntimeException ex) {
					String message = String.valueOf(ex.getMessage());
					if (message.contains("Unknown definition") || (started % 2 == 1 && state.get() == started)) {
						violations.add("state " + started + ": " + message + " now " + peer.services().values().stream().map((d) -> d.id()).toList() + " generation " + peer.generation());
					}
				}
			}
		}, "load");
		load.start();
		try {
			for (int restart = 1; restart <= 10; restart++) {
				int before = successes.get();
				await().atMost(Duration.ofSeconds(10)).until(() -> successes.get() > before + 50);
				int down = 2 * restart;
				state.set(down);
				server.close();
				server = server(port);
				restarted.set(down);
				await().atMost(Duration.ofSeconds(10)).until(() -> state.get() == down + 1);
			}
		}
		finally {
			running.set(false);
			load.join(5_000);
		}
		assertThat(violations).isEmpty();
	}

	@Test
	void aCallOnALostPeerReconnectsAtOnceRatherThanAtTheNextBackoffStep() {
		ConfigurableApplicationContext first = server(0);
		int port = TestNodes.port(first);
		Netron client = this.nodes.client(NetronOptions.defaults()
			.withReconnect(new NetronOptions.Reconnect(true, Duration.ofSeconds(30), Duration.ofSeconds(30), 0)));
		RemotePeer peer = client.connect(TestNodes.url(first)).join();
		CalculatorClient calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
		first.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> !peer.isConnected());
		server(port);
		// the backoff's next attempt is 30 s away: calls bring the peer back within a few seconds
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
			.until(() -> calculator.add(2, 2) == 4);
	}

	/**
	 * A loop of calls during an outage: calls try to reconnect at once, but only the backoff's
	 * steps are logged, one line each, on the node's scheduler rather than on new threads.
	 */
	@Test
	void anOutageUnderALoopOfCallsLogsOneLinePerBackoffStep(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext first = server(0);
		int port = TestNodes.port(first);
		Netron client = this.nodes.client(NetronOptions.defaults()
			.withRequestTimeout(Duration.ofSeconds(1))
			.withReconnect(new NetronOptions.Reconnect(true, Duration.ofMillis(500), Duration.ofSeconds(2), 0)));
		RemotePeer peer = client.connect(TestNodes.url(first)).join();
		CalculatorClient calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
		first.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> !peer.isConnected());
		int before = output.getOut().length();
		long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
		int calls = 0;
		while (System.nanoTime() < until) {
			calls++;
			try {
				calculator.add(1, 1);
			}
			catch (RuntimeException expected) {
				// the peer is away
			}
			java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
		}
		String during = output.getOut().substring(before);
		List<String> failures = during.lines().filter((line) -> line.contains("Reconnect to ws://127.0.0.1:" + port)).toList();
		// steps of 0.5, 1, 2 and 2 s fit in 4 s: one line each (calls tried every 250 ms, silently)
		assertThat(calls).isGreaterThan(50);
		assertThat(failures).hasSizeBetween(1, 5)
			.allSatisfy((line) -> assertThat(line).contains("next attempt in ").doesNotContainPattern("\\[\\s*Thread-\\d+\\]"));
		server(port);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
			.until(() -> calculator.add(2, 2) == 4);
	}

	@Test
	void aSubServiceHeldByTwoConnectionsOfOneNodeIdLivesUntilBothRelease() {
		ConfigurableApplicationContext server = server(0);
		NetronOptions twin = NetronOptions.defaults().withId("twin").withRequestTimeout(Duration.ofSeconds(3));
		RemotePeer one = this.nodes.client(twin).connect(TestNodes.url(server)).join();
		RemotePeer two = this.nodes.client(twin).connect(TestNodes.url(server)).join();
		RemoteService counterOfOne = (RemoteService) one.queryInterface("calculator@1.0.0").call("counterService").join();
		RemoteService counterOfTwo = (RemoteService) two.queryInterface("calculator@1.0.0").call("counterService").join();
		assertThat(counterOfTwo.definition().id()).isEqualTo(counterOfOne.definition().id());
		one.releaseInterface(counterOfOne).join();
		assertThat(counterOfTwo.call("increment").join()).isEqualTo(1);
		one.disconnect();
		await().atMost(Duration.ofSeconds(5)).until(() -> TestNodes.netron(server).peers().size() == 1);
		assertThat(counterOfTwo.call("increment").join()).isEqualTo(2);
	}

}
