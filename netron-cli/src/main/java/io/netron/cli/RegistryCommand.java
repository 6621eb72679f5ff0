package io.netron.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netron nodes --redis redis://host:6379}: the nodes the discovery registry lists (the
 * TypeScript Netron's keys, {@code netron:discovery} or with {@code --prefix titan:discovery} the
 * Titan generation's), their addresses and services, and how old their registration is. It only
 * reads: an entry whose heartbeat expired is shown as expired, not removed.
 */
@Command(name = "nodes", description = { "The nodes registered for discovery in Redis, with their services and heartbeat age.",
		"Reads only: expired entries are shown, not removed." })
final class RegistryCommand implements Callable<Integer> {

	@Option(names = "--redis", required = true, paramLabel = "REDIS_URL", description = "redis://[user:password@]host:port[/db]")
	String redis;

	@Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5", description = "Redis command timeout (default: ${DEFAULT-VALUE} s).")
	double timeoutSeconds;

	@Option(names = "--json", description = "Print JSON (for scripts).")
	boolean json;

	@Option(names = "--prefix", paramLabel = "KEY_PREFIX", defaultValue = "netron:discovery",
			description = "The registry's keys: netron:discovery (seed-era nodes and Java nodes by default) or titan:discovery (Titan nodes); default: ${DEFAULT-VALUE}.")
	String prefix;

	@Spec
	CommandLine.Model.CommandSpec spec;

	@Override
	public Integer call() {
		RedisURI uri;
		try {
			uri = RedisURI.create(this.redis);
		}
		catch (IllegalArgumentException ex) {
			throw new NetronCli.CliException(NetronCli.BAD_INPUT, "Invalid --redis '" + this.redis + "': " + ex.getMessage());
		}
		uri.setTimeout(Duration.ofMillis((long) (this.timeoutSeconds * 1000)));
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
			print(read(connection.sync()));
			return 0;
		}
		catch (RedisException ex) {
			throw new NetronCli.CliException(NetronCli.UNREACHABLE, "Cannot read the registry at " + this.redis + ": "
					+ ((ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage()));
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	/** The age of an entry that carries no timestamp. */
	static final long NO_TIMESTAMP = Long.MIN_VALUE;

	private record Entry(String id, String address, JsonNode services, long ageMillis, long ttlMillis) {

		boolean alive() {
			return this.ttlMillis > 0;
		}

	}

	private List<Entry> read(RedisCommands<String, String> redis) {
		Set<String> ids = new TreeSet<>(redis.smembers(this.prefix + ":index:nodes"));
		long now = System.currentTimeMillis();
		List<Entry> entries = new ArrayList<>();
		for (String id : ids) {
			Map<String, String> hash = redis.hgetall(this.prefix + ":nodes:" + id);
			long ttl = redis.pttl(this.prefix + ":heartbeat:" + id);
			JsonNode services;
			try {
				services = JsonValues.JSON.readTree(hash.getOrDefault("services", "[]"));
			}
			catch (Exception ex) {
				services = JsonValues.JSON.createArrayNode();
			}
			long timestamp = parseLong(hash.get("timestamp"));
			entries.add(new Entry(id, hash.getOrDefault("address", "?"), services,
					(timestamp > 0) ? now - timestamp : NO_TIMESTAMP, ttl));
		}
		return entries;
	}

	/**
	 * A live entry's heartbeat age: "1.2s ago", "no time" for an entry without a timestamp, and
	 * "0.8s ahead" when the node's clock is ahead of this machine's (a negative age).
	 */
	static String heartbeat(long ageMillis) {
		if (ageMillis == NO_TIMESTAMP) {
			return "no time";
		}
		return (ageMillis >= 0) ? String.format(Locale.ROOT, "%.1fs ago", ageMillis / 1000.0)
				: String.format(Locale.ROOT, "%.1fs ahead", -ageMillis / 1000.0);
	}

	private void print(List<Entry> entries) {
		PrintWriter out = this.spec.commandLine().getOut();
		if (this.json) {
			ArrayNode nodes = JsonValues.JSON.createArrayNode();
			for (Entry entry : entries) {
				ObjectNode node = nodes.addObject();
				node.put("id", entry.id());
				node.put("address", entry.address());
				node.set("services", entry.services());
				node.put("alive", entry.alive());
				if (entry.ageMillis() == NO_TIMESTAMP) {
					node.putNull("heartbeatAgeMs");
				}
				else {
					node.put("heartbeatAgeMs", entry.ageMillis());
				}
				node.put("expiresInMs", Math.max(0, entry.ttlMillis()));
			}
			NetronCli.printJson(out, nodes);
			return;
		}
		String format = "%-38s %-22s %-10s %s%n";
		out.printf(Locale.ROOT, format, "NODE", "ADDRESS", "HEARTBEAT", "SERVICES");
		for (Entry entry : entries) {
			List<String> services = new ArrayList<>();
			entry.services().forEach((service) -> services.add(service.path("name").asText()
					+ (service.path("version").asText().isEmpty() ? "" : "@" + service.path("version").asText())));
			String heartbeat = !entry.alive() ? "expired" : heartbeat(entry.ageMillis());
			out.printf(Locale.ROOT, format, entry.id(), entry.address(), heartbeat, String.join(", ", services));
		}
		out.flush();
	}

	private static long parseLong(String text) {
		try {
			return (text != null) ? Long.parseLong(text) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
