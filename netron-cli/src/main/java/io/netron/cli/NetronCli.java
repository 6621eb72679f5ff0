package io.netron.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netron.NetronException;
import io.netron.core.ConnectOptions;
import io.netron.core.Failures;
import io.netron.core.HandshakeRefusedException;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.core.NetronTimeoutException;
import io.netron.core.PeerDisconnectedException;
import io.netron.core.RemoteInvocationException;
import io.netron.core.ProtocolGeneration;
import io.netron.core.RemotePeer;
import io.netron.core.RemoteService;
import io.netron.core.UnknownServiceException;
import io.netron.protocol.Definition;
import io.netron.protocol.ServiceMetadata;
import io.netron.stream.NetronReadableStream;
import io.netron.transport.JdkWebSocketConnector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.jspecify.annotations.Nullable;

/**
 * The {@code netron} command: lists, describes and calls the services of any Netron node, Java or
 * TypeScript, over the same WebSocket protocol the nodes speak to each other. No Spring context:
 * it answers in well under a second.
 *
 * <p>Exit codes: 0 done; 1 the node answered with an error; 2 bad input (usage, malformed JSON, an
 * unknown service or member); 3 the node could not be reached, refused the connection, or did not
 * answer in time.
 */
@Command(name = "netron", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "netron 0.1.0",
		description = "Lists, describes and calls the services of a Netron node (Java or TypeScript).",
		subcommands = { NetronCli.ListCommand.class, NetronCli.DescribeCommand.class, NetronCli.CallCommand.class,
				NetronCli.GetCommand.class, NetronCli.SetCommand.class, NetronCli.WatchCommand.class,
				RegistryCommand.class, NetronCli.GenerateCommand.class },
		footer = { "", "Arguments and results are JSON; types JSON lacks are tagged: {\"$date\": \"2026-11-26T10:00:00Z\"},",
				"{\"$map\": [[k, v]]}, {\"$set\": [...]}, {\"$bigint\": \"123\"}, {\"$binary\": \"base64\"}, {\"$undefined\": true}.",
				"Exit codes: 0 done, 1 error answered by the node, 2 bad input, 3 node unreachable or silent." })
public final class NetronCli implements Runnable {

	static final int REMOTE_ERROR = 1;

	static final int BAD_INPUT = 2;

	static final int UNREACHABLE = 3;

	@Spec
	CommandLine.Model.CommandSpec spec;

	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	/** Runs one command line with the given output streams, as {@link #main} does. */
	static int run(String[] args, PrintStream out, PrintStream err) {
		CommandLine cli = new CommandLine(new NetronCli());
		cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
		cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
		cli.setExecutionExceptionHandler((ex, line, parsed) -> {
			PrintWriter errors = line.getErr();
			if (ex instanceof CliException failure) {
				errors.println("netron: " + failure.getMessage());
				return failure.exitCode;
			}
			errors.println("netron: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
			return BAD_INPUT;
		});
		return cli.execute(args);
	}

	@Override
	public void run() {
		this.spec.commandLine().usage(this.spec.commandLine().getOut());
	}

	/** A failure that ends the command with one line on stderr and an exit code. */
	static class CliException extends RuntimeException {

		final int exitCode;

		CliException(int exitCode, String message) {
			super(message, null, false, false);
			this.exitCode = exitCode;
		}

	}

	// ------------------------------------------------------------------ the connection

	/** Qualified names by name, then by semantic version (1.10.0 after 1.9.0), then as text. */
	static final java.util.Comparator<String> SERVICE_ORDER = (left, right) -> {
		int leftAt = left.indexOf('@');
		int rightAt = right.indexOf('@');
		String leftName = (leftAt < 0) ? left : left.substring(0, leftAt);
		String rightName = (rightAt < 0) ? right : right.substring(0, rightAt);
		int byName = leftName.compareTo(rightName);
		if (byName != 0 || leftAt < 0 || rightAt < 0) {
			return (byName != 0) ? byName : left.compareTo(right);
		}
		org.semver4j.Semver leftVersion = org.semver4j.Semver.parse(left.substring(leftAt + 1));
		org.semver4j.Semver rightVersion = org.semver4j.Semver.parse(right.substring(rightAt + 1));
		int byVersion = (leftVersion != null && rightVersion != null) ? leftVersion.compareTo(rightVersion) : 0;
		return (byVersion != 0) ? byVersion : left.compareTo(right);
	};

	/** Options every command that talks to a node takes. */
	static final class NodeOptions {

		@Parameters(index = "0", paramLabel = "URL", description = "The node's endpoint: ws://host:port/netron or wss://...")
		String url;

		@Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
				description = "How long connecting and each answer may take (default: ${DEFAULT-VALUE} s).")
		double timeoutSeconds;

		@Option(names = { "-H", "--header" }, paramLabel = "'NAME: VALUE'",
				description = "An HTTP header of the WebSocket upgrade, such as 'Authorization: Bearer ...' (repeatable).")
		List<String> headers = new ArrayList<>();

		@Option(names = "--id", description = "The node id this client presents (default: netron-cli-<random>).")
		@Nullable String id;

		@Option(names = "--insecure", description = "wss://: trust any certificate and host name (for tests only).")
		boolean insecure;

		@Option(names = "--truststore", paramLabel = "FILE",
				description = "wss://: trust the certificates of this key store (PKCS12 or JKS) instead of the JDK's.")
		java.nio.file.@Nullable Path truststore;

		@Option(names = "--truststore-password", paramLabel = "PASSWORD", description = "The trust store's password.")
		@Nullable String truststorePassword;

		@Option(names = "--generation", paramLabel = "seed|titan",
				description = "The protocol generation to speak (default: the one the node's id frame shows).")
		@Nullable String generation;

		@Option(names = "--json", description = "Print JSON (for scripts).")
		boolean json;

		/** Whether the URL is the node's HTTP transport. */
		boolean isHttp() {
			return this.url.startsWith("http://") || this.url.startsWith("https://");
		}

		/** The node over HTTP, with the --header headers. */
		HttpNode http() {
			return new HttpNode(uri(), headers(), timeout());
		}

		private URI uri() {
			try {
				return URI.create(this.url);
			}
			catch (IllegalArgumentException ex) {
				throw new CliException(BAD_INPUT, "Invalid URL '" + this.url + "': " + ex.getMessage());
			}
		}

		private Map<String, String> headers() {
			Map<String, String> headers = new LinkedHashMap<>();
			for (String header : this.headers) {
				int colon = header.indexOf(':');
				if (colon <= 0) {
					throw new CliException(BAD_INPUT, "Invalid --header '" + header + "': use 'Name: value'");
				}
				headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
			}
			return headers;
		}

		Duration timeout() {
			if (!(this.timeoutSeconds > 0)) {
				throw new CliException(BAD_INPUT, "--timeout must be a positive number of seconds");
			}
			return Duration.ofMillis((long) (this.timeoutSeconds * 1000));
		}

		/** The --generation option, {@code null} to follow the node's id frame. */
		private @Nullable ProtocolGeneration generation() {
			if (this.generation == null) {
				return null;
			}
			return switch (this.generation.toLowerCase(Locale.ROOT)) {
				case "seed" -> ProtocolGeneration.SEED;
				case "titan" -> ProtocolGeneration.TITAN;
				default -> throw new CliException(BAD_INPUT, "Invalid --generation '" + this.generation + "': seed or titan");
			};
		}

		/** Connects, or ends the command saying why it cannot. */
		Session open() {
			URI uri = uri();
			if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
				throw new CliException(BAD_INPUT, "Invalid URL '" + this.url + "': use ws://host:port/path or wss://... "
						+ "(or http://host:port/path for call and describe)");
			}
			Map<String, String> headers = headers();
			Duration timeout = timeout();
			if (this.insecure) {
				System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
			}
			NetronOptions options = NetronOptions.defaults()
				.withId((this.id != null) ? this.id : "netron-cli-" + UUID.randomUUID().toString().substring(0, 8))
				.withRequestTimeout(timeout)
				.withConnectTimeout(timeout)
				.withReconnect(new NetronOptions.Reconnect(false, Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
			SSLContext ssl = this.insecure ? trustingEverything()
					: (this.truststore != null) ? trusting(this.truststore, this.truststorePassword) : null;
			Netron netron = new Netron(options, new JdkWebSocketConnector(options.maxMessageSize(), options.sendBufferSize(),
					ssl));
			try {
				RemotePeer peer = netron.connect(uri, ConnectOptions.defaults().withHeaders(() -> headers)
							.withGeneration(generation()))
					.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
				return new Session(netron, peer, timeout);
			}
			catch (Exception ex) {
				netron.close();
				Throwable cause = (ex instanceof ExecutionException) ? Failures.unwrap(ex) : ex;
				if (cause instanceof HandshakeRefusedException refused) {
					throw new CliException(UNREACHABLE, "Cannot connect to " + this.url + ": refused with HTTP "
							+ refused.statusCode() + ((refused.statusCode() == 401) ? " (send credentials with --header)" : ""));
				}
				if (cause instanceof TimeoutException) {
					throw new CliException(UNREACHABLE, "Cannot connect to " + this.url + ": no answer within " + seconds(timeout));
				}
				String reason = message(cause);
				throw new CliException(UNREACHABLE, reason.startsWith("Cannot connect") ? reason
						: "Cannot connect to " + this.url + ": " + reason);
			}
		}

	}

	/** A connected client node; closing it disconnects. */
	record Session(Netron netron, RemotePeer peer, Duration timeout) implements AutoCloseable {

		RemoteService service(String name) {
			try {
				return this.peer.queryInterface(name);
			}
			catch (UnknownServiceException ex) {
				// the message names the node and what it offers
				throw new CliException(BAD_INPUT, ex.getMessage());
			}
		}

		/** Whether the node speaks the Titan generation, whose nodes list no services. */
		boolean isTitan() {
			return this.peer.generationSpoken() == ProtocolGeneration.TITAN;
		}

		/**
		 * The services named, looked up one by one, or all the node lists; a Titan-generation node
		 * lists none (it has no {@code abilities} exchange), so its services must be named.
		 */
		Map<String, Definition> services(List<String> names, String command) {
			if (names.isEmpty()) {
				if (isTitan()) {
					throw new CliException(BAD_INPUT, "Node " + this.peer.id() + " speaks the Titan generation of Netron, "
							+ "which does not list its services (it answers only for a service it is asked for by name): "
							+ "name them, as in netron " + command + " URL calculator orders@^2.0.0");
				}
				// in one order on every run: by name, then by version
				Map<String, Definition> sorted = new java.util.TreeMap<>(SERVICE_ORDER);
				sorted.putAll(this.peer.services());
				return sorted;
			}
			Map<String, Definition> found = new java.util.LinkedHashMap<>();
			for (String name : names) {
				Definition definition = service(name).definition();
				found.put(definition.meta().qualifiedName(), definition);
			}
			return found;
		}

		/** The answer of a request, or the end of the command saying why there is none. */
		@Nullable Object await(CompletableFuture<@Nullable Object> answer, String what) {
			try {
				return answer.get(this.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new CliException(UNREACHABLE, "Interrupted while waiting for " + what);
			}
			catch (TimeoutException ex) {
				throw new CliException(UNREACHABLE, "No answer to " + what + " within " + seconds(this.timeout));
			}
			catch (ExecutionException ex) {
				throw failure(Failures.unwrap(ex), what);
			}
		}

		@Override
		public void close() {
			this.netron.close();
		}

	}

	/** What a failed request ends the command with. */
	static CliException failure(Throwable cause, String what) {
		if (cause instanceof RemoteInvocationException remote) {
			RemoteError error = new RemoteError(remote.remoteName(), remote.remoteMessage(), remote.customFields());
			return new RemoteErrorException(error);
		}
		if (cause instanceof NetronTimeoutException || cause instanceof PeerDisconnectedException) {
			return new CliException(UNREACHABLE, message(cause));
		}
		if (cause instanceof NetronException || cause instanceof IllegalArgumentException) {
			return new CliException(BAD_INPUT, message(cause));
		}
		return new CliException(BAD_INPUT, what + " failed: " + cause.getClass().getSimpleName() + ": " + message(cause));
	}

	/** An error the node answered with: name, message and custom fields. */
	record RemoteError(String name, String message, Map<String, @Nullable Object> fields) {

		String describe() {
			String text = this.name + ": " + this.message;
			return this.fields.isEmpty() ? text : text + " " + JsonValues.toJson(this.fields);
		}

	}

	static final class RemoteErrorException extends CliException {

		final RemoteError error;

		RemoteErrorException(RemoteError error) {
			super(REMOTE_ERROR, error.describe());
			this.error = error;
		}

	}

	private static String message(Throwable failure) {
		return (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getSimpleName();
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

	/** A TLS context trusting the certificates of a key store. */
	static SSLContext trusting(java.nio.file.Path file, @Nullable String password) {
		try {
			java.security.KeyStore store = java.security.KeyStore.getInstance(file.toFile(),
					(password != null) ? password.toCharArray() : null);
			javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory
				.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
			trust.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), new SecureRandom());
			return context;
		}
		catch (java.io.IOException | java.security.GeneralSecurityException | IllegalArgumentException ex) {
			throw new CliException(BAD_INPUT, "Cannot read --truststore " + file + ": " + message(ex));
		}
	}

	private static SSLContext trustingEverything() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new X509TrustManager() {

				@Override
				public void checkClientTrusted(X509Certificate[] chain, String authType) {
				}

				@Override
				public void checkServerTrusted(X509Certificate[] chain, String authType) {
				}

				@Override
				public X509Certificate[] getAcceptedIssuers() {
					return new X509Certificate[0];
				}

			} }, new SecureRandom());
			return context;
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new CliException(BAD_INPUT, "--insecure: " + ex.getMessage());
		}
	}

	/** Prints a value as one line of JSON. */
	static void printJson(PrintWriter out, JsonNode node) {
		out.println(node.toString());
		out.flush();
	}

	/** Runs a command against a session, printing a remote error with --json as well as on stderr. */
	abstract static class NodeCommand implements java.util.concurrent.Callable<Integer> {

		@Mixin
		NodeOptions node = new NodeOptions();

		@Spec
		CommandLine.Model.CommandSpec spec;

		PrintWriter out() {
			return this.spec.commandLine().getOut();
		}

		@Override
		public Integer call() {
			try {
				return this.node.isHttp() ? runOverHttp(this.node.http()) : runConnected();
			}
			catch (RemoteErrorException ex) {
				if (this.node.json) {
					ObjectNode wrapper = JsonValues.JSON.createObjectNode();
					wrapper.set("error", JsonValues.error(ex.error.name(), ex.error.message(), ex.error.fields()));
					printJson(out(), wrapper);
				}
				throw ex;
			}
		}

		private int runConnected() {
			try (Session session = this.node.open()) {
				// Ctrl-C (watch, a long stream): the connection closes with a close frame, not a dropped socket
				Thread hook = new Thread(session::close, "netron-cli-shutdown");
				Runtime.getRuntime().addShutdownHook(hook);
				try {
					return run(session);
				}
				finally {
					try {
						Runtime.getRuntime().removeShutdownHook(hook);
					}
					catch (IllegalStateException ex) {
						// already shutting down: the hook closes the session
					}
				}
			}
		}

		abstract int run(Session session);

		/** Over the HTTP transport: what the command does there, or why it cannot. */
		int runOverHttp(HttpNode node) {
			throw new CliException(BAD_INPUT, "'" + this.spec.name() + "' needs a WebSocket connection (ws://... or wss://...):"
					+ " over http:// the netron command can call methods and describe services");
		}

	}

	// ------------------------------------------------------------------ the commands

	@Command(name = "list", description = { "The node's id and its services with their versions.",
			"A Titan-generation node lists none: name the services to look up." })
	static final class ListCommand extends NodeCommand {

		@Parameters(index = "1..*", arity = "0..*", paramLabel = "SERVICE",
				description = "name, name@version or name@range to look up (default: all the node lists)")
		List<String> names = new ArrayList<>();

		@Override
		int run(Session session) {
			Map<String, Definition> services = session.services(this.names, "list");
			if (this.node.json) {
				ObjectNode result = JsonValues.JSON.createObjectNode();
				result.put("node", session.peer().id());
				ArrayNode list = result.putArray("services");
				services.values().forEach((definition) -> {
					ServiceMetadata meta = definition.meta();
					ObjectNode service = list.addObject();
					service.put("name", meta.name());
					service.put("version", meta.version());
					service.put("qualifiedName", meta.qualifiedName());
					meta.methods().keySet().forEach(service.putArray("methods")::add);
					meta.properties().keySet().forEach(service.putArray("properties")::add);
				});
				printJson(out(), result);
				return 0;
			}
			PrintWriter out = out();
			out.println("Node " + session.peer().id() + " at " + this.node.url
					+ (session.isTitan() ? " (Titan generation)" : ""));
			String format = "%-32s %-12s %8s %11s%n";
			out.printf(Locale.ROOT, format, "SERVICE", "VERSION", "METHODS", "PROPERTIES");
			services.values().forEach((definition) -> {
				ServiceMetadata meta = definition.meta();
				out.printf(Locale.ROOT, format, meta.name(), meta.version().isEmpty() ? "-" : meta.version(),
						meta.methods().size(), meta.properties().size());
			});
			out.flush();
			return 0;
		}

	}

	@Command(name = "describe", description = "A service's methods and properties, with what its definition says of their types.")
	static final class DescribeCommand extends NodeCommand {

		@Parameters(index = "1", paramLabel = "SERVICE", description = "name, name@version or name@range (such as calculator@^1.0.0)")
		String service;

		/** The methods the node's API description lists for the service (a name without a version: every version). */
		@Override
		int runOverHttp(HttpNode node) {
			JsonNode paths = node.description().path("paths");
			ObjectNode methods = JsonValues.JSON.createObjectNode();
			PrintWriter out = out();
			paths.fieldNames().forEachRemaining((path) -> {
				int invoke = path.indexOf("/invoke/");
				String[] parts = (invoke >= 0) ? path.substring(invoke + 8).split("/") : new String[0];
				if (parts.length == 2 && (parts[0].equals(this.service) || parts[0].startsWith(this.service + "@"))) {
					String summary = paths.path(path).path("post").path("summary").asText();
					methods.put(parts[0] + "." + parts[1], summary);
				}
			});
			if (methods.isEmpty()) {
				throw new CliException(BAD_INPUT, "Unknown service: " + this.service + ". (the node's API description lists none such)");
			}
			if (this.node.json) {
				printJson(out, methods);
				return 0;
			}
			methods.fields().forEachRemaining((entry) -> out.println("  method    " + entry.getValue().asText()));
			out.flush();
			return 0;
		}

		@Override
		int run(Session session) {
			ServiceMetadata meta = session.service(this.service).metadata();
			if (this.node.json) {
				ObjectNode result = JsonValues.JSON.createObjectNode();
				result.put("service", meta.qualifiedName());
				result.put("node", session.peer().id());
				ObjectNode methods = result.putObject("methods");
				meta.methods().forEach((name, info) -> {
					ObjectNode method = methods.putObject(name);
					method.put("returns", info.type());
					info.arguments().forEach(method.putArray("arguments")::add);
				});
				ObjectNode properties = result.putObject("properties");
				meta.properties().forEach((name, info) -> {
					ObjectNode property = properties.putObject(name);
					property.put("type", info.type());
					property.put("readonly", info.readonly());
				});
				printJson(out(), result);
				return 0;
			}
			PrintWriter out = out();
			out.println(meta.qualifiedName() + " on node " + session.peer().id());
			meta.methods().forEach((name, info) -> out.println("  method    " + name + "(" + String.join(", ", info.arguments())
					+ "): " + info.type()));
			meta.properties().forEach((name, info) -> out.println("  " + (info.readonly() ? "readonly  " : "property  ") + name
					+ ": " + info.type()));
			out.flush();
			return 0;
		}

	}

	@Command(name = "call", description = { "Calls a method; arguments are JSON values, one per parameter,",
			"or one JSON array holding them all: add 1 2, or divide '[1, 0]'. A bare word is a string.",
			"A method returning a stream prints its chunks, one JSON line each, as they come." })
	static final class CallCommand extends NodeCommand {

		@Parameters(index = "1", paramLabel = "SERVICE", description = "name, name@version or name@range")
		String service;

		@Parameters(index = "2", paramLabel = "METHOD")
		String method;

		@Parameters(index = "3..*", paramLabel = "ARG", description = "JSON arguments")
		List<String> arguments = new ArrayList<>();

		@Override
		int run(Session session) {
			Object[] args = arguments(this.arguments);
			RemoteService target = session.service(this.service);
			String what = target.metadata().qualifiedName() + "." + this.method;
			Object result = session.await(target.call(this.method, args), what);
			if (result instanceof NetronReadableStream<?> stream) {
				try {
					stream.forEach((chunk) -> printJson(out(), JsonValues.toJson(chunk))).get();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				catch (ExecutionException ex) {
					throw failure(Failures.unwrap(ex), what + "'s stream");
				}
				return 0;
			}
			printJson(out(), JsonValues.toJson(result));
			return 0;
		}

		/** {@code POST <url>/invoke} with the arguments as the input array; the result's JSON as the node wrote it. */
		@Override
		int runOverHttp(HttpNode node) {
			com.fasterxml.jackson.databind.node.ArrayNode input = JsonValues.JSON.createArrayNode();
			if (this.arguments.size() == 1 && this.arguments.get(0).strip().startsWith("[")) {
				JsonNode all = plainJson(this.arguments.get(0));
				if (all.isArray()) {
					input.addAll((com.fasterxml.jackson.databind.node.ArrayNode) all);
				}
				else {
					input.add(all);
				}
			}
			else {
				this.arguments.forEach((argument) -> input.add(plainJson(argument)));
			}
			printJson(out(), node.invoke(this.service, this.method, input));
			return 0;
		}

	}

	/** A JSON argument for the HTTP transport: JSON as given, a bare word as a string. */
	static JsonNode plainJson(String text) {
		try {
			JsonNode node = JsonValues.JSON.readTree(text);
			return (node == null || node.isMissingNode()) ? JsonValues.JSON.getNodeFactory().textNode(text) : node;
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			if (text.strip().startsWith("{") || text.strip().startsWith("[") || text.strip().startsWith("\"")) {
				throw new CliException(BAD_INPUT, "Malformed JSON argument '" + text + "': " + ex.getOriginalMessage());
			}
			return JsonValues.JSON.getNodeFactory().textNode(text);
		}
	}

	/** Arguments as given: one JSON array holds them all, else each is one value. */
	static Object[] arguments(List<String> given) {
		try {
			if (given.size() == 1 && given.get(0).strip().startsWith("[")) {
				Object all = JsonValues.parse(given.get(0));
				if (all instanceof List<?> list) {
					return list.toArray();
				}
			}
			Object[] values = new Object[given.size()];
			for (int i = 0; i < values.length; i++) {
				values[i] = JsonValues.parse(given.get(i));
			}
			return values;
		}
		catch (IllegalArgumentException ex) {
			throw new CliException(BAD_INPUT, ex.getMessage());
		}
	}

	@Command(name = "watch", description = { "Prints the node's events as they arrive, one JSON line each:",
			"{\"event\": name, \"args\": [...]}. Runs until Ctrl-C, --count events or --for seconds." })
	static final class WatchCommand extends NodeCommand {

		@Parameters(index = "1..*", arity = "1..*", paramLabel = "EVENT", description = "event names")
		List<String> events = new ArrayList<>();

		@Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
		int count;

		@Option(names = "--for", paramLabel = "SECONDS", description = "Stop after this long.")
		double seconds;

		@Override
		int run(Session session) {
			java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(
					(this.count > 0) ? this.count : Integer.MAX_VALUE);
			PrintWriter out = out();
			for (String event : this.events) {
				session.await(session.peer().subscribe(event, (args) -> {
					ObjectNode line = JsonValues.JSON.createObjectNode();
					line.put("event", event);
					line.set("args", JsonValues.toJson(args));
					synchronized (out) {
						printJson(out, line);
					}
					enough.countDown();
				}).thenApply((ignored) -> null), "subscribing to " + event);
			}
			try {
				if (this.seconds > 0) {
					enough.await((long) (this.seconds * 1000), TimeUnit.MILLISECONDS);
				}
				else {
					while (!enough.await(1, TimeUnit.SECONDS)) {
						if (!session.peer().isConnected()) {
							throw new CliException(UNREACHABLE, "The node closed the connection");
						}
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return 0;
		}

	}

	@Command(name = "generate", description = "Typed clients from a live node's definitions.",
			subcommands = { GenerateJavaCommand.class, GenerateTsCommand.class })
	static final class GenerateCommand implements Runnable {

		@Spec
		CommandLine.Model.CommandSpec spec;

		@Override
		public void run() {
			throw new CommandLine.ParameterException(this.spec.commandLine(), "Missing the language: java or ts");
		}

	}

	@Command(name = "java", description = { "Writes a @NetronClient interface for each service (or those named):",
			"blocking and CompletableFuture methods, @NetronProperty accessors." })
	static final class GenerateJavaCommand extends NodeCommand {

		@Parameters(index = "1..*", arity = "0..*", paramLabel = "SERVICE", description = "name, name@version or name@range (default: all)")
		List<String> services = new ArrayList<>();

		@Option(names = "--package", required = true, description = "The package of the interfaces, such as com.acme.clients.")
		String packageName;

		@Option(names = "--out", defaultValue = ".", description = "The source root to write to (default: the current directory).")
		java.nio.file.Path out;

		@Option(names = "--peer", paramLabel = "NAME", description = { "The netron.peers.<NAME> the interfaces call",
				"(default: none, so they are routed through discovery, which must then be enabled)." })
		@Nullable String peer;

		@Override
		int run(Session session) {
			if (this.peer != null && !this.peer.matches("[A-Za-z0-9_.-]+")) {
				throw new CliException(BAD_INPUT, "Invalid --peer '" + this.peer + "': a name of netron.peers, such as calculator");
			}
			if (!this.packageName.matches("([A-Za-z_$][A-Za-z0-9_$]*)(\\.[A-Za-z_$][A-Za-z0-9_$]*)*")) {
				throw new CliException(BAD_INPUT, "Invalid --package '" + this.packageName + "'");
			}
			List<ServiceMetadata> chosen = new ArrayList<>();
			session.services(this.services, "generate java --package " + this.packageName)
				.values()
				.forEach((definition) -> chosen.add(definition.meta()));
			java.nio.file.Path directory = this.out.resolve(this.packageName.replace('.', '/'));
			try {
				java.nio.file.Files.createDirectories(directory);
				for (ServiceMetadata meta : chosen) {
					java.nio.file.Path file = directory.resolve(ClientGenerator.javaName(meta) + ".java");
					java.nio.file.Files.writeString(file,
							ClientGenerator.java(meta, this.packageName, session.peer().id(), this.peer));
					out().println(file);
				}
			}
			catch (java.io.IOException ex) {
				throw new CliException(BAD_INPUT, "Cannot write to " + directory + ": " + ex.getMessage());
			}
			out().flush();
			return 0;
		}

	}

	@Command(name = "ts", description = "Writes TypeScript interfaces of the node's services (to stdout, or --out FILE).")
	static final class GenerateTsCommand extends NodeCommand {

		@Parameters(index = "1..*", arity = "0..*", paramLabel = "SERVICE", description = "name, name@version or name@range (default: all)")
		List<String> names = new ArrayList<>();

		@Option(names = "--out", description = "The file to write.")
		java.nio.file.@Nullable Path out;

		@Override
		int run(Session session) {
			Map<String, ServiceMetadata> services = new java.util.TreeMap<>();
			session.services(this.names, "generate ts").forEach((name, definition) -> services.put(name, definition.meta()));
			String source = ClientGenerator.typescript(services, session.peer().id());
			if (this.out == null) {
				out().print(source);
				out().flush();
				return 0;
			}
			try {
				java.nio.file.Files.writeString(this.out, source);
			}
			catch (java.io.IOException ex) {
				throw new CliException(BAD_INPUT, "Cannot write " + this.out + ": " + ex.getMessage());
			}
			out().println(this.out);
			out().flush();
			return 0;
		}

	}

	@Command(name = "get", description = "Reads a property.")
	static final class GetCommand extends NodeCommand {

		@Parameters(index = "1", paramLabel = "SERVICE")
		String service;

		@Parameters(index = "2", paramLabel = "PROPERTY")
		String property;

		@Override
		int run(Session session) {
			RemoteService target = session.service(this.service);
			printJson(out(), JsonValues.toJson(session.await(target.get(this.property),
					target.metadata().qualifiedName() + "." + this.property)));
			return 0;
		}

	}

	@Command(name = "set", description = "Writes a property (the value is JSON; a bare word is a string).")
	static final class SetCommand extends NodeCommand {

		@Parameters(index = "1", paramLabel = "SERVICE")
		String service;

		@Parameters(index = "2", paramLabel = "PROPERTY")
		String property;

		@Parameters(index = "3", paramLabel = "VALUE")
		String value;

		@Override
		int run(Session session) {
			Object parsed;
			try {
				parsed = JsonValues.parse(this.value);
			}
			catch (IllegalArgumentException ex) {
				throw new CliException(BAD_INPUT, ex.getMessage());
			}
			RemoteService target = session.service(this.service);
			CompletableFuture<@Nullable Object> written = target.set(this.property, parsed).thenApply((ignored) -> null);
			session.await(written, target.metadata().qualifiedName() + "." + this.property);
			if (this.node.json) {
				printJson(out(), JsonValues.JSON.createObjectNode().put("written", true));
			}
			return 0;
		}

	}

}
