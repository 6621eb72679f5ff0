package io.netron.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netron.autoconfigure.NetronDiscoveryHealthIndicator;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.core.RemoteService;
import io.netron.transport.JdkWebSocketConnector;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;

import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Discovery behind Redis Sentinel, all real processes from the embedded-redis binary: a primary, a
 * replica and a sentinel. The primary is killed; the sentinel promotes the replica, heartbeats
 * resume against it, health reports the gap and comes back, and the node serves all along.
 */
class SentinelDiscoveryTests {

	@Test
	void heartbeatsResumeOnThePromotedReplicaAfterThePrimaryDies() throws Exception {
		int primaryPort = freePort();
		int replicaPort = freePort();
		int sentinelPort = freePort();
		RedisServer primary = server(primaryPort, null);
		RedisServer replica = server(replicaPort, "replicaof 127.0.0.1 " + primaryPort);
		RedisSentinel sentinel = RedisSentinel.newRedisSentinel().bind("127.0.0.1").port(sentinelPort)
			.masterName("netron").masterPort(primaryPort).quorumSize(1).downAfterMilliseconds(1000)
			.failOverTimeout(3000).build();
		primary.start();
		replica.start();
		sentinel.start();
		ConfigurableApplicationContext node = null;
		RedisClient redis = RedisClient.create();
		try (Netron client = new Netron(NetronOptions.defaults(), new JdkWebSocketConnector(1 << 20, 1 << 20))) {
			node = DiscoveryTests.startNode(DiscoveryTests.ProviderApplication.class, "sentinel-node",
					List.of("spring.data.redis.sentinel.master=netron",
							"spring.data.redis.sentinel.nodes=127.0.0.1:" + sentinelPort, "spring.data.redis.timeout=500ms"));
			ServiceDiscovery discovery = node.getBean(ServiceDiscovery.class);
			NetronDiscoveryHealthIndicator health = node.getBean(NetronDiscoveryHealthIndicator.class);
			StatefulRedisConnection<String, String> onReplica = redis.connect(RedisURI.create("127.0.0.1", replicaPort));
			// registered on the primary, and replicated
			await().atMost(Duration.ofSeconds(10))
				.until(() -> onReplica.sync().exists("netron:discovery:heartbeat:sentinel-node") == 1);
			int port = ((WebServerApplicationContext) node).getWebServer().getPort();
			RemoteService calc = client.connect("ws://127.0.0.1:" + port + "/netron").join().queryInterface("calc@1.2.0");
			assertThat(calc.call("whoami").join()).isEqualTo("sentinel-node");

			primary.stop();
			Instant killed = Instant.now();
			long[] longestGap = new long[1];
			// the sentinel notices after 1 s and promotes the replica; meanwhile no heartbeat succeeds, and
			// the health details show the last one getting older
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
				Object age = health.health(true).getDetails().get("lastHeartbeatAgeMs");
				if (age instanceof Number millis) {
					longestGap[0] = Math.max(longestGap[0], millis.longValue());
				}
				Instant last = discovery.lastHeartbeat();
				return last != null && last.isAfter(killed.plusMillis(900))
						&& onReplica.sync().info("replication").contains("role:master")
						&& onReplica.sync().exists("netron:discovery:heartbeat:sentinel-node") == 1;
			});
			assertThat(longestGap[0]).as("longest heartbeat age seen during the failover (ms)").isGreaterThan(900);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(health.health(true).getStatus()).isEqualTo(Status.UP));
			assertThat(onReplica.sync().smembers("netron:discovery:index:nodes")).contains("sentinel-node");
			// the application never noticed: it serves as before
			assertThat(calc.call("whoami").join()).isEqualTo("sentinel-node");
			onReplica.close();
		}
		finally {
			if (node != null) {
				node.close();
			}
			redis.shutdown();
			stopQuietly(sentinel::stop);
			stopQuietly(replica::stop);
			stopQuietly(primary::stop);
		}
	}

	private static RedisServer server(int port, String replicaOf) throws IOException {
		var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
			.setting("appendonly no");
		if (replicaOf != null) {
			builder.setting(replicaOf);
		}
		return builder.build();
	}

	private interface Stop {

		void stop() throws IOException;

	}

	private static void stopQuietly(Stop stop) {
		try {
			stop.stop();
		}
		catch (IOException | RuntimeException ex) {
			// already stopped
		}
	}

	private static int freePort() {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
				return port;
			}
			catch (IOException ex) {
				// taken: try another
			}
		}
		throw new IllegalStateException("No free port");
	}

}
