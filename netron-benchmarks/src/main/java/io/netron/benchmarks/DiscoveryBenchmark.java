package io.netron.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.discovery.DiscoveryOptions;
import io.netron.discovery.DiscoveryServiceRouter;
import io.netron.discovery.NodeInfo;
import io.netron.discovery.ServiceDiscovery;
import io.netron.discovery.ServiceInfo;
import io.netron.transport.JdkWebSocketConnector;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import redis.embedded.RedisServer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Discovery at scale: simulated nodes (three services each) heartbeating against one Redis at the
 * default interval (5 s, TTL 15 s) through Spring Data Redis and Lettuce, each heartbeat a
 * registration and an event, and as many pub/sub subscribers as nodes (each node follows the
 * events channel). Reports what Redis does (commands/s, CPU, memory), heartbeat latencies, and
 * the time to find a service's providers: a full read of the registry against a router's local
 * view.
 *
 * <pre>
 * mvn -B -ntp -pl netron-benchmarks -am package -DskipTests
 * java -cp netron-benchmarks/target/netron-benchmarks-0.1.0-SNAPSHOT.jar io.netron.benchmarks.DiscoveryBenchmark
 *     [--nodes 1000] [--seconds 30] [--heartbeat-events] [--no-subscribers] [--redis-port PORT]
 * </pre>
 */
public final class DiscoveryBenchmark {

	private static final Duration INTERVAL = Duration.ofSeconds(5);

	private static final String CHANNEL = "netron:discovery:events";

	private DiscoveryBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int nodes = intOption(args, "--nodes", 1000);
		int seconds = intOption(args, "--seconds", 30);
		boolean subscribers = !List.of(args).contains("--no-subscribers");
		// as TypeScript nodes do: an event on every heartbeat (the starter's default publishes changes only)
		boolean heartbeatEvents = List.of(args).contains("--heartbeat-events");
		int givenPort = intOption(args, "--redis-port", 0);
		int port = (givenPort != 0) ? givenPort : freePort();
		RedisServer server = null;
		if (givenPort == 0) {
			server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
				.setting("appendonly no").build();
			server.start();
		}
		LettuceConnectionFactory factory = new LettuceConnectionFactory("127.0.0.1", port);
		factory.afterPropertiesSet();
		factory.start();
		StringRedisTemplate redis = new StringRedisTemplate(factory);
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(2);
		scheduler.initialize();
		ScheduledExecutorService beats = Executors.newScheduledThreadPool(4);
		RedisClient client = RedisClient.create();
		List<StatefulRedisPubSubConnection<String, String>> followers = new ArrayList<>();
		try {
			long memoryBefore = info(redis, "memory", "used_memory");
			DiscoveryOptions options = new DiscoveryOptions(INTERVAL, INTERVAL.multipliedBy(3), true, CHANNEL,
					heartbeatEvents);
			List<ServiceDiscovery> registry = new ArrayList<>();
			for (int i = 0; i < nodes; i++) {
				registry.add(new ServiceDiscovery(redis, "node-" + i, "10.0." + (i / 250) + "." + (i % 250) + ":8080",
						List.of(new ServiceInfo("orders" + (i % 50), "1.0." + (i % 3)), new ServiceInfo("common", "1.2.0"),
								new ServiceInfo("reports" + (i % 7), "2.0.0")),
						options, scheduler, null));
			}
			LongAdder received = new LongAdder();
			if (subscribers) {
				for (int i = 0; i < nodes; i++) {
					StatefulRedisPubSubConnection<String, String> follower = client.connectPubSub(RedisURI.create("127.0.0.1", port));
					follower.addListener(new RedisPubSubAdapter<>() {

						@Override
						public void message(String channel, String message) {
							received.increment();
						}

					});
					follower.sync().subscribe(CHANNEL);
					followers.add(follower);
				}
			}
			// every node heartbeats at the default interval, spread evenly over it
			Histogram heartbeats = new ConcurrentHistogram(1, TimeUnit.SECONDS.toMicros(60), 3);
			long period = INTERVAL.toMillis();
			for (int i = 0; i < nodes; i++) {
				ServiceDiscovery node = registry.get(i);
				beats.scheduleAtFixedRate(() -> {
					long start = System.nanoTime();
					node.publishHeartbeat();
					heartbeats.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
				}, i * period / nodes, period, TimeUnit.MILLISECONDS);
			}
			Thread.sleep(2 * period);
			heartbeats.reset();
			long commandsBefore = info(redis, "stats", "total_commands_processed");
			double cpuBefore = cpuSeconds(redis);
			long receivedBefore = received.sum();
			long start = System.nanoTime();
			Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
			double elapsed = (System.nanoTime() - start) / 1e9;
			double commands = (info(redis, "stats", "total_commands_processed") - commandsBefore) / elapsed;
			double cpu = (cpuSeconds(redis) - cpuBefore) / elapsed;
			double messages = (received.sum() - receivedBefore) / elapsed;
			long memory = info(redis, "memory", "used_memory") - memoryBefore;

			// finding the providers of a service: a full read of the registry, and a router's local view
			ServiceDiscovery reader = registry.get(0);
			Histogram fullReads = new Histogram(1, TimeUnit.SECONDS.toMicros(60), 3);
			for (int i = 0; i < 20; i++) {
				long t = System.nanoTime();
				List<NodeInfo> found = reader.findNodesByService("orders7", "^1.0.0");
				fullReads.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
				if (found.size() != nodes / 50) {
					throw new IllegalStateException("found " + found.size() + " providers of orders7, expected " + nodes / 50);
				}
			}
			double viewNanos;
			try (Netron netron = new Netron(NetronOptions.defaults(), new JdkWebSocketConnector(1 << 20, 1 << 20))) {
				DiscoveryServiceRouter router = new DiscoveryServiceRouter(reader, netron, "/netron", INTERVAL);
				router.providers("orders7@^1.0.0");
				int lookups = 1_000_000;
				long t = System.nanoTime();
				int total = 0;
				for (int i = 0; i < lookups; i++) {
					total += router.providers((i % 2 == 0) ? "orders7@^1.0.0" : "reports3@2.0.0").size();
				}
				viewNanos = (System.nanoTime() - t) / (double) lookups;
				if (total == 0) {
					throw new IllegalStateException("the view found no providers");
				}
			}

			System.out.printf(Locale.ROOT,
					"Discovery: %,d nodes (3 services each), heartbeat every %d s (TTL %d s), %s, %s, %d s measured%n", nodes,
					INTERVAL.toSeconds(), INTERVAL.toSeconds() * 3,
					heartbeatEvents ? "an event on every heartbeat" : "events on changes only",
					subscribers ? nodes + " subscribers on the events channel" : "no subscribers", seconds);
			String format = "| %-58s | %28s |%n";
			System.out.printf(Locale.ROOT, format, "measure", "value");
			System.out.printf(Locale.ROOT, format, "---", "---");
			System.out.printf(Locale.ROOT, format, "Redis commands", String.format(Locale.ROOT, "%,.0f /s", commands));
			System.out.printf(Locale.ROOT, format, "Redis CPU (user + sys, INFO cpu)",
					String.format(Locale.ROOT, "%.1f%% of one core", 100 * cpu));
			System.out.printf(Locale.ROOT, format, "events delivered to subscribers",
					String.format(Locale.ROOT, "%,.0f /s", messages));
			System.out.printf(Locale.ROOT, format, "Redis memory (used_memory delta, subscriber buffers included)",
					String.format(Locale.ROOT, "%,.1f MB (%,d B per node)", memory / 1e6, memory / nodes));
			System.out.printf(Locale.ROOT, format, "heartbeat p50 / p99 / p99.9",
					String.format(Locale.ROOT, "%,d / %,d / %,d us", heartbeats.getValueAtPercentile(50),
							heartbeats.getValueAtPercentile(99), heartbeats.getValueAtPercentile(99.9)));
			System.out.printf(Locale.ROOT, format, "providers of a service, full registry read, p50 / p99",
					String.format(Locale.ROOT, "%,d / %,d us", fullReads.getValueAtPercentile(50),
							fullReads.getValueAtPercentile(99)));
			System.out.printf(Locale.ROOT, format, "providers of a service, router's local view (mean)",
					String.format(Locale.ROOT, "%,.2f us", viewNanos / 1000));
		}
		finally {
			beats.shutdownNow();
			followers.forEach(StatefulRedisPubSubConnection::close);
			client.shutdown();
			scheduler.shutdown();
			factory.destroy();
			if (server != null) {
				server.stop();
			}
		}
	}

	private static double cpuSeconds(StringRedisTemplate redis) {
		Properties cpu = redis.execute((org.springframework.data.redis.core.RedisCallback<Properties>) (connection) -> connection
			.serverCommands().info("cpu"));
		return Double.parseDouble(cpu.getProperty("used_cpu_sys")) + Double.parseDouble(cpu.getProperty("used_cpu_user"));
	}

	private static long info(StringRedisTemplate redis, String section, String key) {
		Properties info = redis.execute((org.springframework.data.redis.core.RedisCallback<Properties>) (connection) -> connection
			.serverCommands().info(section));
		return Long.parseLong(info.getProperty(key));
	}

	private static int intOption(String[] args, String name, int fallback) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals(name)) {
				return Integer.parseInt(args[i + 1]);
			}
		}
		return fallback;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
