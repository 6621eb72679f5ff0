package io.netron.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code netron nodes} against a real redis-server holding a registry as Netron nodes (Java or
 * TypeScript) write it: a live node and one whose heartbeat expired.
 */
class RegistryCommandTests {

	@Test
	void nodesListsTheRegistryWithHeartbeatAgesAndChangesNothing() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
			.setting("appendonly no").build();
		server.start();
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create("127.0.0.1", port))) {
			RedisCommands<String, String> redis = connection.sync();
			long now = System.currentTimeMillis();
			redis.hset("netron:discovery:nodes:alpha", Map.of("address", "10.0.0.1:8080", "services",
					"[{\"name\":\"calc\",\"version\":\"1.2.0\"}]", "timestamp", Long.toString(now - 2000)));
			redis.set("netron:discovery:heartbeat:alpha", "1", SetArgs.Builder.px(15_000));
			redis.sadd("netron:discovery:index:nodes", "alpha");
			// crashed: its heartbeat expired, nobody cleaned the index up yet
			redis.hset("netron:discovery:nodes:beta", Map.of("address", "10.0.0.2:8080", "services", "[]", "timestamp",
					Long.toString(now - 60_000)));
			redis.sadd("netron:discovery:index:nodes", "beta");
			// alive, but its clock is 5 s ahead of this machine's (it used to be shown as just "alive")
			redis.hset("netron:discovery:nodes:gamma", Map.of("address", "10.0.0.4:8080", "services", "[]", "timestamp",
					Long.toString(now + 5000)));
			redis.set("netron:discovery:heartbeat:gamma", "1", SetArgs.Builder.px(15_000));
			redis.sadd("netron:discovery:index:nodes", "gamma");
			// alive, without a timestamp
			redis.hset("netron:discovery:nodes:delta", Map.of("address", "10.0.0.5:8080", "services", "[]"));
			redis.set("netron:discovery:heartbeat:delta", "1", SetArgs.Builder.px(15_000));
			redis.sadd("netron:discovery:index:nodes", "delta");

			Run table = run("nodes", "--redis", "redis://127.0.0.1:" + port);
			assertThat(table.exit).as(table.err).isZero();
			assertThat(table.out).containsPattern("alpha\\s+10\\.0\\.0\\.1:8080\\s+\\d+\\.\\ds ago\\s+calc@1\\.2\\.0")
				.containsPattern("beta\\s+10\\.0\\.0\\.2:8080\\s+expired")
				.containsPattern("gamma\\s+10\\.0\\.0\\.4:8080\\s+[45]\\.\\ds ahead")
				.containsPattern("delta\\s+10\\.0\\.0\\.5:8080\\s+no time");
			Run json = run("nodes", "--redis", "redis://127.0.0.1:" + port, "--json");
			JsonNode nodes = JsonValues.JSON.readTree(json.out);
			assertThat(nodes).hasSize(4);
			assertThat(nodes.get(2).get("id").asText()).isEqualTo("delta");
			assertThat(nodes.get(2).get("heartbeatAgeMs").isNull()).isTrue();
			assertThat(nodes.get(3).get("heartbeatAgeMs").asLong()).isNegative();
			assertThat(nodes.get(0).get("id").asText()).isEqualTo("alpha");
			assertThat(nodes.get(0).get("alive").asBoolean()).isTrue();
			assertThat(nodes.get(0).get("heartbeatAgeMs").asLong()).isBetween(2000L, 30_000L);
			assertThat(nodes.get(0).at("/services/0/name").asText()).isEqualTo("calc");
			assertThat(nodes.get(1).get("alive").asBoolean()).isFalse();
			// only read: the expired entry is still there
			assertThat(redis.sismember("netron:discovery:index:nodes", "beta")).isTrue();
			// a Titan node, as Titan's discovery writes it: a URL address, the timestamp as the heartbeat
			redis.hset("titan:discovery:nodes:titan-1", Map.of("address", "ws://10.0.0.3:18410", "services",
					"[{\"name\":\"conformance\",\"version\":\"1.0.0\"}]", "timestamp", Long.toString(now - 1000)));
			redis.set("titan:discovery:heartbeat:titan-1", Long.toString(now - 1000), SetArgs.Builder.px(15_000));
			redis.sadd("titan:discovery:index:nodes", "titan-1");
			Run titan = run("nodes", "--redis", "redis://127.0.0.1:" + port, "--prefix", "titan:discovery");
			assertThat(titan.exit).as(titan.err).isZero();
			assertThat(titan.out).containsPattern("titan-1\\s+ws://10\\.0\\.0\\.3:18410\\s+\\d+\\.\\ds ago\\s+conformance@1\\.0\\.0")
				.doesNotContain("alpha");
			assertThat(run("nodes", "--redis", "redis://127.0.0.1:" + port).out).doesNotContain("titan-1");
		}
		finally {
			client.shutdown();
			server.stop();
		}
		Run gone = run("nodes", "--redis", "redis://127.0.0.1:" + port, "--timeout", "1");
		assertThat(gone.exit).isEqualTo(3);
		assertThat(gone.err.strip()).startsWith("netron: Cannot read the registry at redis://127.0.0.1:" + port + ":");
		assertThat(gone.err).doesNotContain("\tat ");
	}

	private record Run(int exit, String out, String err) {
	}

	private static Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = NetronCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

}
