package io.netron.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * What one client can make a node hold is bounded, over real connections: connections per node
 * and per address (refused with 503 while the rest of the application answers), requests in
 * flight per connection (an {@code OverloadedError} at once), silent connections (closed after the
 * idle timeout, kept while they answer pings); and what peers may do beyond calls: subscribe only
 * to allowed events, never expose a service under a name the node serves itself.
 */
class LimitsAndPolicyTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext limited;

	private static ConfigurableApplicationContext idle;

	private static ConfigurableApplicationContext pinging;

	@BeforeAll
	static void start() {
		limited = nodes.server(new Class<?>[] { TestServices.Calculator.class, Gate.class },
				"netron.server.max-connections=2", "netron.server.max-requests-in-flight=2",
				"netron.subscribable-events=service:*", "netron.remote-exposure.services=reports*,calculator",
				"netron.remote-exposure.max-services-per-peer=3", "netron.remote-exposure.max-definition-size=4KB",
				"management.endpoints.web.exposure.include=health", "management.health.redis.enabled=false");
		idle = nodes.server(new Class<?>[] { TestServices.Calculator.class }, "netron.server.max-connections-per-address=1",
				"netron.server.ping-interval=0", "netron.server.idle-timeout=600ms");
		pinging = nodes.server(new Class<?>[] { TestServices.Calculator.class }, "netron.server.ping-interval=100ms",
				"netron.server.idle-timeout=500ms");
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@Test
	void connectionsBeyondTheLimitAreRefusedWith503WhileTheApplicationAnswers() throws Exception {
		// the connections of other tests are gone first
		await().atMost(Duration.ofSeconds(5))
			.until(() -> TestNodes.guard(limited).openConnections() == 0);
		List<RemotePeer> peers = new ArrayList<>();
		peers.add(nodes.client().connect(TestNodes.url(limited)).join());
		peers.add(nodes.client().connect(TestNodes.url(limited)).join());
		Throwable refused = Failures.unwrap(catchThrowable(() -> nodes.client().connect(TestNodes.url(limited)).join()));
		assertThat(refused).isInstanceOf(HandshakeRefusedException.class)
			.hasMessageContaining("HTTP 503")
			.hasMessageContaining("has 2 connections open, its limit (netron.server.max-connections)");
		HttpResponse<String> health = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestNodes.port(limited) + "/actuator/health"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
		assertThat(peers.get(0).queryInterface("calculator@1.0.0").call("add", 1, 2).join()).isEqualTo(3);
		// a closed connection gives its place back
		peers.remove(0).disconnect();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			RemotePeer again = nodes.client().connect(TestNodes.url(limited)).join();
			peers.add(again);
		});
		peers.forEach(RemotePeer::disconnect);
	}

	@Test
	void requestsBeyondTheInFlightLimitOfAConnectionAreRefusedAtOnce() throws Exception {
		Gate gate = limited.getBean(Gate.class);
		RemotePeer peer = nodes.client().connect(TestNodes.url(limited)).join();
		try {
			RemoteService service = peer.queryInterface("gate@1.0.0");
			CompletableFuture<Object> first = service.call("pass");
			CompletableFuture<Object> second = service.call("pass");
			await().atMost(Duration.ofSeconds(5)).until(() -> gate.waiting.getCount() == 0);
			Throwable refused = Failures.unwrap(catchThrowable(() -> service.call("pass").get(5, TimeUnit.SECONDS)));
			assertThat(refused).isInstanceOf(RemoteOverloadedException.class)
				.hasMessageContaining("OverloadedError: Request ")
				.hasMessageContaining("refused: this connection already has 2 requests in flight on node");
			assertThat(first).isNotDone();
			gate.open.countDown();
			assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("passed");
			assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("passed");
			// the places came back before the answers left: the next call, sent at once, is served
			assertThat(service.call("pass").get(5, TimeUnit.SECONDS)).isEqualTo("passed");
		}
		finally {
			// a failed assertion must not leave the connection to count against the next tests' limit
			peer.disconnect();
		}
	}

	@Test
	void aSilentConnectionIsClosedAfterTheIdleTimeoutAndGivesItsAddressPlaceBack() throws Exception {
		try (RawWebSocket silent = new RawWebSocket(TestNodes.url(idle) + "?id=silent")) {
			assertThat(silent.next()).isInstanceOf(String.class);
			Throwable refused = Failures.unwrap(catchThrowable(() -> nodes.client().connect(TestNodes.url(idle)).join()));
			assertThat(refused).isInstanceOf(HandshakeRefusedException.class)
				.hasMessageContaining("HTTP 503")
				.hasMessageContaining("Too many Netron connections from 127.0.0.1: 1 are open "
						+ "(netron.server.max-connections-per-address)");
			assertThat(silent.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			RemotePeer peer = nodes.client().connect(TestNodes.url(idle)).join();
			assertThat(peer.queryInterface("calculator@1.0.0").call("add", 2, 2).join()).isEqualTo(4);
			peer.disconnect();
		});
	}

	@Test
	void aConnectionThatAnswersPingsStaysOpenThoughItSendsNothing() {
		try (RawWebSocket quiet = new RawWebSocket(TestNodes.url(pinging) + "?id=quiet")) {
			await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> !quiet.closeCode.isDone());
		}
	}

	@Test
	void peersSubscribeOnlyToAllowedEvents() {
		RemotePeer peer = nodes.client().connect(TestNodes.url(limited)).join();
		Throwable refused = Failures.unwrap(catchThrowable(() -> peer.subscribe("peer:connect", (args) -> {
		}).get(5, TimeUnit.SECONDS)));
		assertThat(refused).isInstanceOf(RemoteAccessDeniedException.class)
			.hasMessageStartingWith("AccessDeniedError: Access denied to event 'peer:connect': peers may not subscribe to it")
			.hasMessageEndingWith("(netron.subscribable-events)");
		assertThat(peer.subscribe("service:expose", (args) -> {
		})).succeedsWithin(Duration.ofSeconds(5));
		peer.disconnect();
	}

	@Test
	void aPeerCannotExposeAServiceUnderANameTheNodeServesOrOutsideTheAllowedNames() {
		RemotePeer peer = nodes.client().connect(TestNodes.url(limited)).join();
		Throwable shadowing = Failures.unwrap(catchThrowable(
				() -> peer.exposeService(new ShadowCalculator()).get(5, TimeUnit.SECONDS)));
		assertThat(shadowing).isInstanceOf(RemoteAccessDeniedException.class)
			.hasMessageContaining("Access denied to expose_service of calculator@9.9.9: node ")
			.hasMessageEndingWith("serves 'calculator' itself (netron.remote-exposure.shadow-local)");
		Throwable outside = Failures.unwrap(catchThrowable(() -> peer.exposeService(new Greeter()).get(5, TimeUnit.SECONDS)));
		assertThat(outside).isInstanceOf(RemoteAccessDeniedException.class)
			.hasMessageEndingWith("service 'greeter' may not be exposed by peers (netron.remote-exposure.services)");
		assertThat(peer.exposeService(new Reports())).succeedsWithin(Duration.ofSeconds(5));
		RemotePeer caller = nodes.client().connect(TestNodes.url(limited)).join();
		assertThat(caller.queryInterface("calculator").call("add", 1, 1).join()).isEqualTo(2);
		assertThat(caller.queryInterface("reports.daily").call("title").join()).isEqualTo("daily");
		caller.disconnect();
		peer.disconnect();
	}

	/** What one peer may make the node hold by exposing services is bounded in number and in size. */
	@Test
	void aPeerExposesAtMostSoManyServicesOfAtMostSoManyBytes() {
		RemotePeer peer = nodes.client().connect(TestNodes.url(limited)).join();
		for (int i = 0; i < 3; i++) {
			assertThat(peer.runTask("expose_service", definition("reports-bulk", "1.0." + i, "String")))
				.succeedsWithin(Duration.ofSeconds(5));
		}
		Throwable fourth = Failures.unwrap(catchThrowable(
				() -> peer.runTask("expose_service", definition("reports-bulk", "1.0.3", "String")).get(5, TimeUnit.SECONDS)));
		assertThat(fourth).isInstanceOf(RemoteAccessDeniedException.class)
			.hasMessageContaining("Access denied to expose_service of reports-bulk@1.0.3: peer " + peer.netronId())
			.hasMessageEndingWith("exposes 3 services through node " + TestNodes.netron(limited).id()
					+ " already (netron.remote-exposure.max-services-per-peer)");
		RemotePeer other = nodes.client().connect(TestNodes.url(limited)).join();
		Throwable large = Failures.unwrap(catchThrowable(() -> other
			.runTask("expose_service", definition("reports-large", "1.0.0", "T".repeat(8 * 1024)))
			.get(5, TimeUnit.SECONDS)));
		assertThat(large).isInstanceOf(RemoteAccessDeniedException.class)
			.hasMessageContaining("Access denied to expose_service of reports-large@1.0.0: its definition takes about ")
			.hasMessageEndingWith("more than the 4096 a peer may expose (netron.remote-exposure.max-definition-size)");
		// a peer that goes takes its services with it, and its place is free again
		peer.disconnect();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(TestNodes.netron(limited).localPeer().serviceNames())
			.noneMatch((name) -> name.startsWith("reports-bulk")));
		assertThat(other.runTask("expose_service", definition("reports-bulk", "2.0.0", "String")))
			.succeedsWithin(Duration.ofSeconds(5));
		other.disconnect();
	}

	private static java.util.Map<String, Object> definition(String name, String version, String returnType) {
		return java.util.Map.of("name", name, "version", version, "properties", java.util.Map.of(), "methods",
				java.util.Map.of("fetch", java.util.Map.of("type", returnType, "arguments", java.util.List.of())));
	}

	/** Holds calls until opened. */
	@NetronService("gate@1.0.0")
	static class Gate {

		final CountDownLatch waiting = new CountDownLatch(2);

		final CountDownLatch open = new CountDownLatch(1);

		@Public
		public String pass() throws InterruptedException {
			this.waiting.countDown();
			return this.open.await(10, TimeUnit.SECONDS) ? "passed" : "timed out";
		}

	}

	@NetronService("calculator@9.9.9")
	static class ShadowCalculator {

		@Public
		public long add(long a, long b) {
			return -1;
		}

	}

	@NetronService("greeter@1.9.9")
	static class Greeter {

		@Public
		public String greet() {
			return "gotcha";
		}

	}

	@NetronService("reports.daily@1.0.0")
	static class Reports {

		@Public
		public String title() {
			return "daily";
		}

	}

}
