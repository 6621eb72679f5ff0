package io.netron.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.embedded.RedisServer;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster on loopback: masters started from the embedded-redis binary with
 * {@code cluster-enabled yes}, the 16,384 slots split between them and the nodes introduced
 * ({@code CLUSTER ADDSLOTS}, {@code CLUSTER MEET}), ready once every node reports
 * {@code cluster_state:ok}. Each node's cluster bus port is its port plus 10,000, so ports are
 * chosen with both free and the bus port below 65,536.
 */
final class EmbeddedRedisCluster implements AutoCloseable {

	private static final int SLOTS = 16_384;

	private final List<Integer> ports = new ArrayList<>();

	private final List<RedisServer> servers = new ArrayList<>();

	EmbeddedRedisCluster(int masters) {
		try {
			Path directory = Files.createTempDirectory("netron-redis-cluster");
			for (int i = 0; i < masters; i++) {
				int port = freeClusterPort();
				RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
					.setting("cluster-enabled yes")
					.setting("cluster-config-file " + directory.resolve("nodes-" + port + ".conf"))
					.setting("cluster-node-timeout 2000")
					.setting("save \"\"")
					.setting("appendonly no")
					.build();
				server.start();
				this.ports.add(port);
				this.servers.add(server);
			}
			form();
		}
		catch (IOException ex) {
			close();
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/** {@return the nodes, as {@code spring.data.redis.cluster.nodes} takes them} */
	String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	List<Integer> ports() {
		return List.copyOf(this.ports);
	}

	/** Splits the slots evenly, introduces every node to the first, waits for the cluster to be ok. */
	private void form() {
		RedisClient client = RedisClient.create();
		try {
			List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
			for (int port : this.ports) {
				connections.add(client.connect(RedisURI.create("127.0.0.1", port)));
			}
			int count = connections.size();
			for (int i = 0; i < count; i++) {
				int from = i * SLOTS / count;
				int to = (i + 1) * SLOTS / count;
				connections.get(i).sync().clusterAddSlots(IntStream.range(from, to).toArray());
				if (i > 0) {
					connections.get(i).sync().clusterMeet("127.0.0.1", this.ports.get(0));
				}
			}
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> connections.stream()
				.allMatch((connection) -> connection.sync().clusterInfo().contains("cluster_state:ok")));
			connections.forEach(StatefulRedisConnection::close);
		}
		finally {
			client.shutdown();
		}
	}

	private static int freeClusterPort() {
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20_000, 50_000);
			if (isFree(port) && isFree(port + 10_000)) {
				return port;
			}
		}
		throw new IllegalStateException("No free port pair (port, port + 10000) for a cluster node");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		for (RedisServer server : this.servers) {
			try {
				server.stop();
			}
			catch (IOException | RuntimeException ex) {
				// stopping the others matters more
			}
		}
	}

}
