package io.netron.discovery;

import io.netron.NetronTestApplication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netron.annotation.EnableNetronClients;
import io.netron.annotation.NetronClient;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.autoconfigure.NetronDiscoveryHealthIndicator;
import io.netron.core.Netron;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Discovery against a real redis-server: the TypeScript key layout, nodes seeing each other,
 * expiry, re-registration, events, Redis going away and coming back, and clients routed by
 * the registry.
 */
class DiscoveryTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static EmbeddedRedis redis;

	private static LettuceConnectionFactory connections;

	private static StringRedisTemplate template;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@BeforeAll
	static void startRedis() {
		redis = new EmbeddedRedis();
		connections = new LettuceConnectionFactory("127.0.0.1", redis.port());
		connections.afterPropertiesSet();
		connections.start();
		template = new StringRedisTemplate(connections);
	}

	@AfterAll
	static void stopRedis() {
		connections.destroy();
		redis.close();
	}

	@AfterEach
	void stopNodes() {
		java.util.Collections.reverse(this.contexts);
		this.contexts.forEach(ConfigurableApplicationContext::close);
		template.getConnectionFactory().getConnection().serverCommands().flushAll();
	}

	private ConfigurableApplicationContext node(Class<?> application, String id, String... properties) {
		ConfigurableApplicationContext context = startNode(application, id,
				List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
						"spring.data.redis.timeout=500ms"),
				properties);
		this.contexts.add(context);
		return context;
	}

	/**
	 * A node of the discovery tests: a random port on loopback, fast heartbeats (300 ms, TTL 2 s)
	 * and a short shutdown, with the given Redis connection and any other properties.
	 */
	static ConfigurableApplicationContext startNode(Class<?> application, String id, List<String> redisProperties,
			String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"spring.main.banner-mode=off", "netron.id=" + id, "netron.discovery.enabled=true",
				"netron.discovery.heartbeat-interval=300ms", "netron.discovery.heartbeat-ttl=2s",
				"netron.shutdown-timeout=200ms"));
		all.addAll(redisProperties);
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(application).properties(all.toArray(new String[0])).run();
	}

	private static String address(ConfigurableApplicationContext context) {
		return "127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Test
	void registrationMatchesTheTypeScriptLayout() throws Exception {
		List<String> events = listen();
		// as TypeScript nodes do: an event on every heartbeat
		ConfigurableApplicationContext node = node(ProviderApplication.class, "node-a",
				"netron.discovery.heartbeat-events=true");
		String nodeKey = "netron:discovery:nodes:node-a";
		await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(template.hasKey(nodeKey)));
		Map<Object, Object> hash = template.opsForHash().entries(nodeKey);
		assertThat(hash).containsOnlyKeys("address", "services", "timestamp");
		assertThat(hash.get("address")).isEqualTo(address(node));
		assertThat(hash.get("services")).isEqualTo("[{\"name\":\"calc\",\"version\":\"1.2.0\"}]");
		assertThat(Long.parseLong((String) hash.get("timestamp"))).isCloseTo(System.currentTimeMillis(),
				org.assertj.core.data.Offset.offset(5_000L));
		assertThat(template.getExpire(nodeKey)).isBetween(1L, 2L);
		assertThat(template.opsForValue().get("netron:discovery:heartbeat:node-a")).isEqualTo("1");
		assertThat(template.getExpire("netron:discovery:heartbeat:node-a", java.util.concurrent.TimeUnit.MILLISECONDS))
			.isBetween(1L, 2000L);
		assertThat(template.opsForSet().members("netron:discovery:index:nodes")).containsExactly("node-a");
		assertThat(template.getExpire("netron:discovery:index:nodes")).isEqualTo(-1);
		await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 2);
		Map<?, ?> first = JSON.readValue(events.get(0), Map.class);
		assertThat(new ArrayList<Object>(first.keySet())).containsExactly("type", "nodeId", "address", "services", "timestamp");
		assertThat(first.get("type")).isEqualTo("NODE_REGISTERED");
		// the seed's start-up race is fixed: the first registration lists the services
		assertThat(first.get("services")).isEqualTo(List.of(Map.of("name", "calc", "version", "1.2.0")));
		assertThat(JSON.readValue(events.get(1), Map.class).get("type")).isEqualTo("NODE_UPDATED");
	}

	/**
	 * With {@code netron.discovery.key-prefix=titan:discovery} a Java node writes the registry as
	 * Titan's discovery does (the heartbeat key holds the timestamp, events on
	 * {@code titan:discovery:events}), and routes to nodes Titan registered (written here exactly as
	 * Titan's script writes them, one with a {@code ws://} URL as its address).
	 */
	@Test
	void titanPrefixWritesTitansLayoutAndRoutesToNodesTitanRegistered() throws Exception {
		List<String> events = listen("titan:discovery:events");
		List<String> seedEvents = listen();
		ConfigurableApplicationContext provider = node(ProviderApplication.class, "java-in-titan",
				"netron.discovery.key-prefix=titan:discovery");
		String nodeKey = "titan:discovery:nodes:java-in-titan";
		await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(template.hasKey(nodeKey)));
		Map<Object, Object> hash = template.opsForHash().entries(nodeKey);
		assertThat(hash).containsOnlyKeys("address", "services", "timestamp");
		assertThat(hash.get("services")).isEqualTo("[{\"name\":\"calc\",\"version\":\"1.2.0\"}]");
		String heartbeat = template.opsForValue().get("titan:discovery:heartbeat:java-in-titan");
		assertThat(Long.parseLong(heartbeat)).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
		assertThat(template.opsForSet().members("titan:discovery:index:nodes")).containsExactly("java-in-titan");
		await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
		assertThat(JSON.readValue(events.get(0), Map.class).get("type")).isEqualTo("NODE_REGISTERED");
		assertThat(seedEvents).isEmpty();
		assertThat(template.keys("netron:discovery:*")).isEmpty();
		// a node registered by Titan's discovery, its address a URL; it serves at the URL as given (this
		// Java node registers itself in the other registry only, which the titan-prefixed client never reads)
		ConfigurableApplicationContext titanNode = node(ProviderApplication.class, "titan-7");
		String now = Long.toString(System.currentTimeMillis());
		template.opsForHash().putAll("titan:discovery:nodes:titan-7", Map.of("address", "ws://" + address(titanNode) + "/netron",
				"services", "[{\"name\":\"calc\",\"version\":\"1.2.0\"}]", "timestamp", now));
		template.opsForValue().set("titan:discovery:heartbeat:titan-7", now, Duration.ofSeconds(15));
		template.opsForSet().add("titan:discovery:index:nodes", "titan-7");
		ConfigurableApplicationContext client = node(ClientApplication.class, "titan-client",
				"netron.discovery.key-prefix=titan:discovery", "netron.discovery.registry-read-interval=200ms");
		WhoClient who = client.getBean(WhoClient.class);
		java.util.Set<String> answered = new java.util.HashSet<>();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			answered.add(who.whoami());
			assertThat(answered).contains("java-in-titan", "titan-7");
		});
		assertThat(provider.isActive()).isTrue();
	}

	@Test
	void byDefaultOnlyChangesArePublishedNotEveryHeartbeat() throws Exception {
		List<String> events = listen();
		ConfigurableApplicationContext node = node(ProviderApplication.class, "node-quiet");
		ServiceDiscovery discovery = node.getBean(ServiceDiscovery.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 1);
		long heartbeats = discovery.heartbeats();
		await().atMost(Duration.ofSeconds(5)).until(() -> discovery.heartbeats() >= heartbeats + 4);
		assertThat(events).hasSize(1);
		assertThat(JSON.readValue(events.get(0), Map.class).get("type")).isEqualTo("NODE_REGISTERED");
		// a change is announced at the next heartbeat
		node.getBean(Netron.class).exposeService(new Extra());
		await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 2);
		Map<?, ?> changed = JSON.readValue(events.get(1), Map.class);
		assertThat(changed.get("type")).isEqualTo("NODE_UPDATED");
		assertThat(changed.get("services").toString()).contains("extra");
	}

	@Test
	void gracefulStopDeregistersAndRestartRegistersAgain() throws Exception {
		List<String> events = listen();
		ConfigurableApplicationContext node = node(ProviderApplication.class, "node-b");
		await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(template.hasKey("netron:discovery:nodes:node-b")));
		node.close();
		assertThat(template.hasKey("netron:discovery:nodes:node-b")).isFalse();
		assertThat(template.hasKey("netron:discovery:heartbeat:node-b")).isFalse();
		assertThat(template.opsForSet().members("netron:discovery:index:nodes")).isEmpty();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> events.stream().anyMatch((event) -> event.contains("\"NODE_DEREGISTERED\"")));
		node(ProviderApplication.class, "node-b");
		await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(template.hasKey("netron:discovery:nodes:node-b")));
		long registrations = events.stream().filter((event) -> event.contains("\"NODE_REGISTERED\"")).count();
		assertThat(registrations).isEqualTo(2);
	}

	@Test
	void theNetronEndpointShowsPeersAndWhatTheRegistryLists() throws Exception {
		ConfigurableApplicationContext a = node(ProviderApplication.class, "node-e",
				"management.endpoints.web.exposure.include=netron");
		node(ProviderApplication.class, "node-f");
		List<io.netron.core.Netron> clients = new ArrayList<>();
		for (String id : List.of("caller-1", "caller-2")) {
			io.netron.core.NetronOptions options = io.netron.core.NetronOptions.defaults().withId(id);
			io.netron.core.Netron client = new io.netron.core.Netron(options,
					new io.netron.transport.JdkWebSocketConnector(1 << 20, 1 << 20));
			client.connect("ws://" + address(a) + "/netron").join();
			clients.add(client);
		}
		try {
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				JsonNode json = JSON.readTree(java.net.http.HttpClient.newHttpClient()
					.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + address(a) + "/actuator/netron"))
						.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
					.body());
				List<String> peers = new ArrayList<>();
				json.get("peers").forEach((peer) -> peers.add(peer.get("id").asText() + " " + peer.get("direction").asText()));
				assertThat(peers).containsExactlyInAnyOrder("caller-1 inbound", "caller-2 inbound");
				JsonNode discovery = json.get("discovery");
				assertThat(discovery.get("address").asText()).isEqualTo(address(a));
				assertThat(discovery.get("heartbeats").asLong()).isPositive();
				assertThat(discovery.get("registryError").isNull()).isTrue();
				List<String> nodes = new ArrayList<>();
				discovery.get("nodes").forEach((node) -> nodes.add(node.get("id").asText() + " " + node.get("services")));
				assertThat(nodes).containsExactlyInAnyOrder("node-e [\"calc@1.2.0\"]", "node-f [\"calc@1.2.0\"]");
				assertThat(discovery.at("/nodes/0/heartbeatAge").asText()).startsWith("PT");
			});
			io.micrometer.core.instrument.MeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
			new io.netron.autoconfigure.NetronMeterBinder(a.getBean(io.netron.core.Netron.class), a.getBean(ServiceDiscovery.class))
				.bindTo(meters);
			assertThat(meters.get("netron.discovery.nodes").gauge().value()).isEqualTo(2);
			assertThat(meters.get("netron.discovery.heartbeats").tag("outcome", "success").functionCounter().count())
				.isPositive();
		}
		finally {
			clients.forEach(io.netron.core.Netron::close);
		}
	}

	@Test
	void leastInFlightRoutingSendsCallsAwayFromABusyNode() {
		node(ProviderApplication.class, "provider-slow");
		node(ProviderApplication.class, "provider-fast");
		// round-robin for every service but calc, whose clients go to the least busy node
		ConfigurableApplicationContext client = node(ClientApplication.class, "client-2", "netron.server.enabled=false",
				"netron.discovery.routing=round-robin", "netron.discovery.service-routing.calc=least-in-flight");
		DiscoveryServiceRouter router = client.getBean(DiscoveryServiceRouter.class);
		await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
			Set<String> routed = new java.util.HashSet<>();
			for (int i = 0; i < 4; i++) {
				routed.add(router.route("calc@^1.0.0").id());
			}
			// with no requests in flight, the nodes take turns
			assertThat(routed).containsExactlyInAnyOrder("provider-slow", "provider-fast");
		});
		io.netron.core.RemotePeer slow = router.route("calc@^1.0.0");
		if (!slow.id().equals("provider-slow")) {
			slow = router.route("calc@^1.0.0");
		}
		assertThat(slow.id()).isEqualTo("provider-slow");
		java.util.concurrent.CompletableFuture<Object> held = slow.queryInterface("calc@1.2.0").call("hold");
		io.netron.core.RemotePeer busy = slow;
		await().atMost(Duration.ofSeconds(5)).until(() -> busy.requestsAwaited() == 1);
		for (int i = 0; i < 6; i++) {
			assertThat(router.route("calc@^1.0.0").id()).isEqualTo("provider-fast");
		}
		assertThat(held).isNotDone();
	}

	@Test
	void nodesSeeEachOtherAndServiceChangesAreRewritten() {
		ConfigurableApplicationContext a = node(ProviderApplication.class, "node-c");
		ConfigurableApplicationContext b = node(ProviderApplication.class, "node-d");
		ServiceDiscovery discovery = a.getBean(ServiceDiscovery.class);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(discovery.getActiveNodes())
			.extracting(NodeInfo::nodeId).containsExactlyInAnyOrder("node-c", "node-d"));
		assertThat(discovery.findNodesByService("calc", "^1.0.0")).hasSize(2);
		assertThat(discovery.findNodesByService("calc", "1.2.0")).hasSize(2);
		assertThat(discovery.findNodesByService("calc", "^2")).isEmpty();
		assertThat(discovery.findNodesByService("other", null)).isEmpty();
		b.getBean(Netron.class).exposeService(new Extra());
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(discovery.findNodesByService("extra", null))
			.extracting(NodeInfo::nodeId).containsExactly("node-d"));
		assertThat(discovery.isNodeActive("node-d")).isTrue();
	}

	@Test
	void deadNodesExpireAndAreCleanedUp() {
		ConfigurableApplicationContext a = node(ProviderApplication.class, "node-e");
		ServiceDiscovery discovery = a.getBean(ServiceDiscovery.class);
		// a node that crashed: registered once by the same script, never again
		template.execute(org.springframework.data.redis.core.script.RedisScript.of(
				new org.springframework.core.io.ClassPathResource("META-INF/netron/lua/register-heartbeat.lua"), Long.class),
				List.of("netron:discovery:nodes:ghost", "netron:discovery:heartbeat:ghost", "netron:discovery:index:nodes"),
				"ghost", "127.0.0.1:1", "[]", Long.toString(System.currentTimeMillis()), "1", "500");
		assertThat(discovery.getActiveNodes()).extracting(NodeInfo::nodeId).contains("ghost");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(discovery.getActiveNodes()).extracting(NodeInfo::nodeId).containsExactly("node-e"));
		assertThat(template.opsForSet().members("netron:discovery:index:nodes")).containsExactly("node-e");
		template.opsForSet().add("netron:discovery:index:nodes", "half");
		template.opsForValue().set("netron:discovery:heartbeat:half", "1");
		assertThat(discovery.getActiveNodes()).extracting(NodeInfo::nodeId).containsExactly("node-e");
		assertThat(template.hasKey("netron:discovery:heartbeat:half")).isFalse();
		assertThat(discovery.isNodeActive("ghost")).isFalse();
	}

	@Test
	void registryEventsBecomeApplicationEvents() {
		ConfigurableApplicationContext a = node(ProviderApplication.class, "node-f");
		node(ProviderApplication.class, "node-g");
		EventCollector collector = a.getBean(EventCollector.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> collector.events.stream()
			.anyMatch((event) -> event.nodeId().equals("node-g") && event.type() == DiscoveryEvent.Type.NODE_REGISTERED));
	}

	@Test
	void aNodeStartedWhileRedisIsDownStartsAndRegistersOnceRedisIsBack() {
		redis.stop();
		ConfigurableApplicationContext node;
		try {
			node = node(ProviderApplication.class, "node-i");
			assertThat(node.isActive()).isTrue();
			NetronDiscoveryHealthIndicator health = node.getBean(NetronDiscoveryHealthIndicator.class);
			assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
			// no heartbeat ever registered this node: health must not say it is registered
			assertThat(health.health(true).getDetails()).containsEntry("registered", false)
				.containsEntry("heartbeating", true);
		}
		finally {
			redis.start();
		}
		NetronDiscoveryHealthIndicator health = node.getBean(NetronDiscoveryHealthIndicator.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> health.health(true).getStatus().equals(Status.UP));
		assertThat(health.health(true).getDetails()).containsEntry("registered", true);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> Boolean.TRUE.equals(template.hasKey("netron:discovery:nodes:node-i")));
		// and it follows registry events once the subscription could be made
		EventCollector collector = node.getBean(EventCollector.class);
		node(ProviderApplication.class, "node-j");
		await().atMost(Duration.ofSeconds(10)).until(() -> collector.events.stream()
			.anyMatch((event) -> event.nodeId().equals("node-j") && event.type() == DiscoveryEvent.Type.NODE_REGISTERED));
	}

	@Test
	void redisGoingAwayTurnsHealthDownAndBackUpWithoutFailingTheApplication() {
		ConfigurableApplicationContext node = node(ProviderApplication.class, "node-h");
		NetronDiscoveryHealthIndicator health = node.getBean(NetronDiscoveryHealthIndicator.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> health.health(true).getStatus().equals(Status.UP));
		redis.stop();
		try {
			await().atMost(Duration.ofSeconds(15)).until(() -> health.health(true).getStatus().equals(Status.DOWN));
			// DOWN with what the node knows: why, and how old its last heartbeat is
			assertThat(health.health(true).getDetails()).containsKeys("reason", "lastHeartbeatAgeMs", "registered");
			assertThat(node.isActive()).isTrue();
			// the node still serves calls while Redis is away
			assertThat(node.getBean(Netron.class).localPeer().serviceNames()).contains("calc@1.2.0");
		}
		finally {
			redis.start();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> health.health(true).getStatus().equals(Status.UP));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> Boolean.TRUE.equals(template.hasKey("netron:discovery:nodes:node-h")));
	}

	@Test
	void discoveryDrivenClientSpreadsCallsAndFailsOverWhenAProviderStops() throws Exception {
		ConfigurableApplicationContext p1 = node(ProviderApplication.class, "provider-1");
		node(ProviderApplication.class, "provider-2");
		ConfigurableApplicationContext client = node(ClientApplication.class, "client-1", "netron.server.enabled=false");
		WhoClient who = client.getBean(WhoClient.class);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			Set<String> seen = new java.util.HashSet<>();
			for (int i = 0; i < 6; i++) {
				seen.add(who.whoami());
			}
			assertThat(seen).containsExactlyInAnyOrder("provider-1", "provider-2");
		});
		assertThat(template.hasKey("netron:discovery:nodes:client-1")).as("a node without server does not register")
			.isFalse();
		p1.close();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<String> answers = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				answers.add(who.whoami());
			}
			assertThat(answers).containsOnly("provider-2");
		});
		for (int i = 0; i < 4; i++) {
			assertThat(who.whoamiAsync().get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("provider-2");
		}
	}

	@Test
	void routingReadsNoRedisPerCallNorAfterEachHeartbeat() {
		ConfigurableApplicationContext provider = node(ProviderApplication.class, "provider-view");
		// the client's own TTL puts its safety-net full read (2 x TTL) out of this test's way
		ConfigurableApplicationContext client = node(ClientApplication.class, "client-view", "netron.server.enabled=false",
				"netron.discovery.heartbeat-ttl=30s");
		DiscoveryServiceRouter router = client.getBean(DiscoveryServiceRouter.class);
		await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
			.untilAsserted(() -> assertThat(router.route("calc@^1.0.0").id()).isEqualTo("provider-view"));
		ServiceDiscovery providerDiscovery = provider.getBean(ServiceDiscovery.class);
		long heartbeats = providerDiscovery.heartbeats();
		long reads = redisCalls("hgetall");
		// routing all along while the provider heartbeats (every 300 ms, each an event)
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			for (int i = 0; i < 500; i++) {
				assertThat(router.route("calc@^1.0.0").id()).isEqualTo("provider-view");
			}
			return providerDiscovery.heartbeats() >= heartbeats + 3;
		});
		assertThat(redisCalls("hgetall")).as("registry reads while routing").isEqualTo(reads);
	}

	@Test
	void aNodeWhoseHeartbeatsStoppedIsNoLongerRoutedToBeforeTheRegistryIsCleanedUp() throws Exception {
		ConfigurableApplicationContext provider = node(ProviderApplication.class, "provider-live");
		ConfigurableApplicationContext client = node(ClientApplication.class, "client-ghost", "netron.server.enabled=false");
		ServiceDiscovery discovery = client.getBean(ServiceDiscovery.class);
		// the safety-net full read far away, so that only events and freshness decide here
		DiscoveryServiceRouter router = new DiscoveryServiceRouter(discovery, client.getBean(Netron.class), "/netron",
				Duration.ofSeconds(5), RoutingStrategy.ROUND_ROBIN, Duration.ofMinutes(10));
		discovery.addListener(router::onEvent);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(router.providers("calc@^1.0.0"))
			.extracting(NodeInfo::nodeId).containsExactly("provider-live"));
		// a node registers as a TypeScript node does, heartbeats once, then crashes (no deregistration)
		registerOnce("ghost", address(provider));
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(router.providers("calc@^1.0.0"))
			.extracting(NodeInfo::nodeId).containsExactlyInAnyOrder("provider-live", "ghost"));
		long reads = redisCalls("hgetall");
		// nothing more from the ghost: a heartbeat TTL (2 s here) later the router leaves it out
		await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(router.providers("calc@^1.0.0"))
			.extracting(NodeInfo::nodeId).containsExactly("provider-live"));
		for (int i = 0; i < 10; i++) {
			assertThat(router.route("calc@^1.0.0").id()).isEqualTo("provider-live");
		}
		assertThat(redisCalls("hgetall")).as("registry reads").isEqualTo(reads);
		// no one has cleaned the registry up: the index still lists the ghost
		assertThat(template.opsForSet().isMember("netron:discovery:index:nodes", "ghost")).isTrue();
	}

	/**
	 * A node that died without deregistering, and a node that now listens at its address (as one
	 * restarted under a new id does): the connection the router opened for the dead node's id leads
	 * to the new node beside the router's own, and is closed for good once the registry no longer
	 * lists the dead node, rather than kept (and reconnected) forever.
	 */
	@Test
	void theConnectionOfANodeThatLeftTheRegistryIsClosedNotKeptBesideItsSuccessors() throws Exception {
		ConfigurableApplicationContext provider = node(ProviderApplication.class, "provider-now");
		ConfigurableApplicationContext client = node(ClientApplication.class, "client-restart", "netron.server.enabled=false");
		DiscoveryServiceRouter router = client.getBean(DiscoveryServiceRouter.class);
		await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
			.untilAsserted(() -> assertThat(router.route("calc@^1.0.0").id()).isEqualTo("provider-now"));
		// the node that was at this address before, heard of once, never again
		registerOnce("before-restart", address(provider));
		io.netron.transport.NetronConnectionGuard guard = provider.getBean(io.netron.transport.NetronWebSocketHandler.class)
			.guard();
		// routed calls reach both ids: two connections to the one node that listens there
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			router.route("calc@^1.0.0");
			router.route("calc@^1.0.0");
			assertThat(guard.openConnections()).isEqualTo(2);
		});
		// the dead node's heartbeat expires (2 s): its connection goes, the router's own stays
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(guard.openConnections()).isEqualTo(1));
		assertThat(router.route("calc@^1.0.0").isConnected()).isTrue();
		// and is not reconnected
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(guard.openConnections()).isEqualTo(1));
	}

	/**
	 * Registers a node offering calc@1.3.0 as a TypeScript node does, with one heartbeat of a 2 s TTL
	 * and never another (a node that crashed without deregistering).
	 */
	private static void registerOnce(String nodeId, String address) {
		String services = "[{\"name\":\"calc\",\"version\":\"1.3.0\"}]";
		long now = System.currentTimeMillis();
		template.opsForHash().putAll("netron:discovery:nodes:" + nodeId,
				Map.of("address", address, "services", services, "timestamp", Long.toString(now)));
		template.opsForValue().set("netron:discovery:heartbeat:" + nodeId, "1", Duration.ofSeconds(2));
		template.opsForSet().add("netron:discovery:index:nodes", nodeId);
		template.convertAndSend("netron:discovery:events", "{\"type\":\"NODE_REGISTERED\",\"nodeId\":\"" + nodeId
				+ "\",\"address\":\"" + address + "\",\"services\":" + services + ",\"timestamp\":" + now + "}");
	}

	/** How many times redis-server ran a command since it started ({@code INFO commandstats}). */
	private static long redisCalls(String command) {
		java.util.Properties stats = connections.getConnection().serverCommands().info("commandstats");
		String line = (stats != null) ? stats.getProperty("cmdstat_" + command) : null;
		if (line == null) {
			return 0;
		}
		java.util.regex.Matcher calls = java.util.regex.Pattern.compile("calls=(\\d+)").matcher(line);
		return calls.find() ? Long.parseLong(calls.group(1)) : 0;
	}

	private static List<String> listen() {
		return listen("netron:discovery:events");
	}

	private static List<String> listen(String channel) {
		List<String> messages = new CopyOnWriteArrayList<>();
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		container.addMessageListener((message, pattern) -> messages.add(new String(message.getBody())),
				new ChannelTopic(channel));
		container.afterPropertiesSet();
		container.start();
		return messages;
	}

	@NetronService(value = "extra@1.0.0", expose = false)
	static class Extra {

		@Public
		public String ping() {
			return "pong";
		}

	}

	@NetronTestApplication
	@EnableNetronClients(clients = {})
	static class ProviderApplication {

		@Bean
		Calc calc(Netron netron) {
			return new Calc(netron);
		}

		@Bean
		EventCollector eventCollector() {
			return new EventCollector();
		}

	}

	@NetronTestApplication
	@EnableNetronClients(clients = WhoClient.class)
	static class ClientApplication {

	}

	@NetronService("calc@1.2.0")
	static class Calc {

		private final Netron netron;

		Calc(Netron netron) {
			this.netron = netron;
		}

		@Public
		public String whoami() {
			return this.netron.id();
		}

		/** A call that is never answered while the node runs. */
		@Public
		public java.util.concurrent.CompletableFuture<String> hold() {
			return new java.util.concurrent.CompletableFuture<>();
		}

	}

	@NetronClient("calc@^1.0.0")
	interface WhoClient {

		String whoami();

		java.util.concurrent.CompletableFuture<String> whoamiAsync();

	}

	static class EventCollector {

		final List<DiscoveryEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(DiscoveryEvent event) {
			this.events.add(event);
		}

	}

}
