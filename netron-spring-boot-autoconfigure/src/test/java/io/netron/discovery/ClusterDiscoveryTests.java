package io.netron.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.cluster.SlotHash;
import io.netron.autoconfigure.NetronDiscoveryHealthIndicator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Discovery on a real three-master Redis Cluster: the seed's keys live in different slots, so the
 * registration script cannot run there (CROSSSLOT); nodes register, are found, routed to, follow
 * events and deregister all the same, with the TypeScript key layout.
 */
class ClusterDiscoveryTests {

	private static final String INDEX = "netron:discovery:index:nodes";

	private static EmbeddedRedisCluster cluster;

	private static LettuceConnectionFactory connections;

	private static StringRedisTemplate template;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@BeforeAll
	static void startCluster() {
		cluster = new EmbeddedRedisCluster(3);
		connections = new LettuceConnectionFactory(new RedisClusterConfiguration(List.of(cluster.nodes().split(","))));
		connections.afterPropertiesSet();
		connections.start();
		template = new StringRedisTemplate(connections);
	}

	@AfterAll
	static void stopCluster() {
		if (connections != null) {
			connections.destroy();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@AfterEach
	void stopNodes() {
		java.util.Collections.reverse(this.contexts);
		this.contexts.forEach(ConfigurableApplicationContext::close);
		Set<String> ids = template.opsForSet().members(INDEX);
		if (ids != null) {
			for (String id : ids) {
				template.delete("netron:discovery:nodes:" + id);
				template.delete("netron:discovery:heartbeat:" + id);
			}
		}
		template.delete(INDEX);
	}

	private ConfigurableApplicationContext node(Class<?> application, String id, String... properties) {
		ConfigurableApplicationContext context = DiscoveryTests.startNode(application, id,
				List.of("spring.data.redis.cluster.nodes=" + cluster.nodes(), "spring.data.redis.timeout=2s"), properties);
		this.contexts.add(context);
		return context;
	}

	@Test
	void nodesRegisterWithTheSeedsKeysAcrossSlotsAndAreRoutedTo() {
		String nodeKey = "netron:discovery:nodes:cluster-a";
		String heartbeatKey = "netron:discovery:heartbeat:cluster-a";
		// what made the script fail: its three keys hash to different slots
		assertThat(Set.of(SlotHash.getSlot(nodeKey), SlotHash.getSlot(heartbeatKey), SlotHash.getSlot(INDEX))).hasSize(3);
		ConfigurableApplicationContext provider = node(DiscoveryTests.ProviderApplication.class, "cluster-a");
		await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(template.hasKey(heartbeatKey)));
		Map<Object, Object> hash = template.opsForHash().entries(nodeKey);
		assertThat(hash).containsOnlyKeys("address", "services", "timestamp");
		assertThat(hash.get("address"))
			.isEqualTo("127.0.0.1:" + ((WebServerApplicationContext) provider).getWebServer().getPort());
		assertThat(hash.get("services")).isEqualTo("[{\"name\":\"calc\",\"version\":\"1.2.0\"}]");
		assertThat(template.opsForValue().get(heartbeatKey)).isEqualTo("1");
		assertThat(template.getExpire(heartbeatKey, java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(1L, 2000L);
		assertThat(template.getExpire(nodeKey)).isBetween(1L, 2L);
		assertThat(template.opsForSet().members(INDEX)).containsExactly("cluster-a");
		NetronDiscoveryHealthIndicator health = provider.getBean(NetronDiscoveryHealthIndicator.class);
		assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
		assertThat(health.health(true).getDetails()).containsEntry("registered", true).containsEntry("registryNodes", 1L);
		// a client-only node finds it and calls it; a second provider reaches the client by an event
		// (the client's full reads are a minute apart with its 30 s TTL)
		ConfigurableApplicationContext client = node(DiscoveryTests.ClientApplication.class, "cluster-client",
				"netron.server.enabled=false", "netron.discovery.heartbeat-ttl=30s");
		DiscoveryTests.WhoClient who = client.getBean(DiscoveryTests.WhoClient.class);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
			.untilAsserted(() -> assertThat(who.whoami()).isEqualTo("cluster-a"));
		node(DiscoveryTests.ProviderApplication.class, "cluster-b");
		DiscoveryServiceRouter router = client.getBean(DiscoveryServiceRouter.class);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(router.providers("calc@^1.0.0"))
			.extracting(NodeInfo::nodeId).containsExactlyInAnyOrder("cluster-a", "cluster-b"));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Set<String> answered = new HashSet<>();
			for (int i = 0; i < 6; i++) {
				answered.add(who.whoami());
			}
			assertThat(answered).containsExactlyInAnyOrder("cluster-a", "cluster-b");
		});
		// a graceful stop deregisters, one key at a time
		provider.close();
		assertThat(template.opsForSet().isMember(INDEX, "cluster-a")).isFalse();
		assertThat(template.hasKey(nodeKey)).isFalse();
		assertThat(template.hasKey(heartbeatKey)).isFalse();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(router.providers("calc@^1.0.0"))
			.extracting(NodeInfo::nodeId).containsExactly("cluster-b"));
	}

	@Test
	void readersNeverSeeAHalfWrittenRegistrationNorRemoveANodeWhileItRegisters() throws Exception {
		ServiceDiscovery reader = discovery("reader");
		assertThat(reader.isCluster()).isTrue();
		AtomicBoolean writing = new AtomicBoolean(true);
		List<String> seen = new CopyOnWriteArrayList<>();
		Thread readers = new Thread(() -> {
			while (writing.get()) {
				for (NodeInfo node : reader.getActiveNodes()) {
					seen.add(node.nodeId() + "|" + node.address() + "|" + node.services().size());
				}
			}
		});
		readers.start();
		List<String> ids = new ArrayList<>();
		try {
			for (int i = 0; i < 40; i++) {
				ServiceDiscovery node = discovery("racer-" + i);
				ids.add(node.nodeId());
				node.publishHeartbeat();
				assertThat(node.isRegistered()).isTrue();
			}
		}
		finally {
			writing.set(false);
			readers.join(10_000);
		}
		// every registration survived the readers' cleanups, and what they saw was whole
		assertThat(template.opsForSet().members(INDEX)).containsAll(ids);
		assertThat(reader.getActiveNodes()).extracting(NodeInfo::nodeId).containsAll(ids);
		assertThat(seen).allSatisfy((entry) -> assertThat(entry).matches("racer-\\d+\\|127\\.0\\.0\\.1:9\\d+\\|1"));
	}

	private static ServiceDiscovery discovery(String id) {
		int port = 9000 + Math.abs(id.hashCode() % 900);
		return new ServiceDiscovery(template, id, "127.0.0.1:" + port, List.of(new ServiceInfo("calc", "1.2.0")),
				new DiscoveryOptions(Duration.ofSeconds(5), Duration.ofSeconds(15), false, "netron:discovery:events"),
				new org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler(), null);
	}

}
