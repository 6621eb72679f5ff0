package io.netron.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netron.core.Connection;
import io.netron.core.ConnectionListener;
import io.netron.core.Connector;
import io.netron.protocol.Definition;
import io.netron.protocol.HandshakeFrame;
import io.netron.protocol.MalformedPacketException;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import io.netron.protocol.Reference;
import io.netron.protocol.ServiceMetadata;
import io.netron.protocol.StreamReference;
import io.netron.protocol.TitanError;
import io.netron.protocol.Undefined;
import org.jspecify.annotations.Nullable;
import org.semver4j.Semver;

/**
 * A peer reached over the HTTP transport ({@code http://host:port/netron}) instead of a WebSocket:
 * the engine speaks to it as to a Titan-generation node, and each request becomes an HTTP request.
 * A call is {@code POST <url>/invoke}; a service is looked up ({@code query_interface}) in the
 * node's API description ({@code GET <url>/openapi.json}), or, from a node that publishes none (a
 * Titan node answers it 401), is called by name as Titan's own HTTP client calls it, the node saying
 * whether the service and method exist. What a stateless transport cannot do
 * (property reads and writes, streams, events, services by reference, remote exposure) fails at once
 * with a message naming the limitation. Keep-alive HTTP connections of the JDK client.
 */
public class HttpConnector implements Connector {

	private static final Pattern SUMMARY = Pattern.compile("^(.+)\\.([^.(]+)\\((.*)\\): (.*)$");

	private final HttpClient client;

	private final PacketCodec codec = new PacketCodec();

	private final ObjectMapper json = HttpJson.mapper();

	/** A connector on the JDK HTTP client with the default TLS trust. */
	public HttpConnector() {
		this((SSLContext) null);
	}

	/**
	 * A connector on the JDK HTTP client trusting {@code https://} peers as the given context does.
	 * @param sslContext the TLS context (an SSL bundle's, for one); {@code null} for the JDK's default trust
	 */
	public HttpConnector(@Nullable SSLContext sslContext) {
		this(client(sslContext));
	}

	/**
	 * A connector on the given client (with its own TLS trust, for one).
	 * @param client the HTTP client
	 */
	public HttpConnector(HttpClient client) {
		this.client = client;
	}

	private static HttpClient client(@Nullable SSLContext sslContext) {
		HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
		if (sslContext != null) {
			builder.sslContext(sslContext);
		}
		return builder.build();
	}

	@Override
	public CompletableFuture<Connection> connect(URI uri, Duration timeout, ConnectionListener listener) {
		return connect(uri, timeout, Map.of(), listener);
	}

	@Override
	public CompletableFuture<Connection> connect(URI uri, Duration timeout, Map<String, String> headers,
			ConnectionListener listener) {
		String text = uri.toString();
		int query = text.indexOf('?');
		String base = (query >= 0) ? text.substring(0, query) : text;
		base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		HttpConnection connection = new HttpConnection(URI.create(base), timeout, Map.copyOf(headers), listener);
		listener.onOpen(connection);
		// as a Titan server would: its id as binary JSON, so that the engine speaks the Titan generation
		connection.deliver(HandshakeFrame.serverId("http:" + URI.create(base).getAuthority()).toBytes());
		return CompletableFuture.completedFuture(connection);
	}

	/** One HTTP "connection": requests become HTTP requests, answers become answer packets. */
	final class HttpConnection implements Connection {

		private final URI base;

		private final Duration timeout;

		private final Map<String, String> headers;

		private final ConnectionListener listener;

		private final AtomicBoolean closed = new AtomicBoolean();

		/** The API description, read once per connection. */
		private volatile @Nullable CompletableFuture<Optional<Map<String, Definition>>> services;

		HttpConnection(URI base, Duration timeout, Map<String, String> headers, ConnectionListener listener) {
			this.base = base;
			this.timeout = timeout;
			this.headers = headers;
			this.listener = listener;
		}

		@Override
		public void send(byte[] frame) {
			if (this.closed.get() || HandshakeFrame.looksLikeJson(frame)) {
				// the client-id frame: HTTP has no handshake
				return;
			}
			Packet request;
			try {
				request = HttpConnector.this.codec.decode(frame);
			}
			catch (MalformedPacketException ex) {
				return;
			}
			if (!request.isImpulse()) {
				return;
			}
			List<?> data = (request.data() instanceof List<?> list) ? list : List.of();
			switch (request.type()) {
				case PING -> answer(Packet.response(request.id(), PacketType.PING, request.data()));
				case CALL -> call(request, data);
				case TASK -> task(request, data);
				case GET, SET -> refuse(request, "Property " + ((request.type() == PacketType.GET) ? "reads" : "writes")
						+ " need a WebSocket connection: over HTTP (" + this.base + ") only methods can be called");
				default -> {
					// stream packets: nothing is streamed over HTTP
				}
			}
		}

		private void call(Packet request, List<?> data) {
			if (data.size() < 2 || !(data.get(0) instanceof String service) || !(data.get(1) instanceof String method)) {
				refuse(request, "Invalid call");
				return;
			}
			List<?> args = data.subList(2, data.size());
			for (Object arg : args) {
				if (arg instanceof StreamReference || arg instanceof Reference) {
					refuse(request, "Streams and services passed as arguments need a WebSocket connection: over HTTP ("
							+ this.base + ") arguments are JSON values");
					return;
				}
			}
			ObjectNode body = HttpConnector.this.json.createObjectNode();
			body.put("id", Long.toString(request.id()));
			body.put("service", service);
			body.put("method", method);
			ArrayNode input = body.putArray("input");
			try {
				args.forEach((arg) -> input.add((arg == null || arg == Undefined.INSTANCE) ? HttpConnector.this.json.nullNode()
						: HttpConnector.this.json.valueToTree(arg)));
			}
			catch (IllegalArgumentException ex) {
				refuse(request, "An argument cannot be written as JSON: " + ex.getMessage());
				return;
			}
			post("/invoke", body).whenComplete((answer, failure) -> {
				if (failure != null) {
					lost(failure);
					return;
				}
				if (answer.path("success").asBoolean()) {
					answer(Packet.response(request.id(), PacketType.CALL, HttpJson.toValue(answer.get("data"))));
					return;
				}
				JsonNode error = answer.path("error");
				answer(Packet.errorResponse(request.id(), PacketType.CALL, titanError(error)));
			});
		}

		private void task(Packet request, List<?> data) {
			String name = (!data.isEmpty() && data.get(0) instanceof String text) ? text : "";
			switch (name) {
				case "query_interface" -> {
					String service = (data.size() > 1 && data.get(1) instanceof String text) ? text : "";
					services().whenComplete((known, failure) -> {
						if (failure != null) {
							answer(Packet.errorResponse(request.id(), PacketType.TASK, TitanError.of(404,
									"Cannot look up service " + service + " over HTTP: " + failure.getMessage(), Map.of())));
							return;
						}
						if (known.isEmpty()) {
							// no description to read: called as Titan's own HTTP client calls, by name, the node
							// resolving the name and saying whether the method exists
							answer(Packet.response(request.id(), PacketType.TASK, undescribed(service)));
							return;
						}
						Definition definition = resolve(known.get(), service);
						answer((definition != null) ? Packet.response(request.id(), PacketType.TASK, definition)
								: Packet.errorResponse(request.id(), PacketType.TASK, TitanError.of(404,
										"Service '" + service + "' not found", Map.of("serviceName", service))));
					});
				}
				case "unref_service", "unsubscribe" -> answer(Packet.response(request.id(), PacketType.TASK, Undefined.INSTANCE));
				default -> refuse(request, "Task " + name + " needs a WebSocket connection: over HTTP (" + this.base
						+ ") there are no events, tasks or remote exposure");
			}
		}

		/**
		 * The services of the API description, by qualified name, as definitions whose id is that name;
		 * empty when the node answers but publishes no description (a Titan node answers 401 unless it
		 * has an auth manager and the caller its credentials); failed when the node cannot be reached.
		 */
		private CompletableFuture<Optional<Map<String, Definition>>> services() {
			CompletableFuture<Optional<Map<String, Definition>>> known = this.services;
			if (known == null || known.isCompletedExceptionally()) {
				known = HttpConnector.this.client
					.sendAsync(request("/openapi.json").GET().build(), HttpResponse.BodyHandlers.ofByteArray())
					.thenApply((response) -> {
						JsonNode description = (response.statusCode() == 200) ? readJson(response.body()) : null;
						return (description != null && description.path("paths").isObject())
								? Optional.of(definitions(description)) : Optional.empty();
					});
				this.services = known;
			}
			return known;
		}

		/** A definition of a service the node does not describe: its name, no members listed. */
		private Definition undescribed(String requested) {
			int at = requested.indexOf('@');
			ServiceMetadata meta = new ServiceMetadata((at < 0) ? requested : requested.substring(0, at),
					(at < 0) ? "" : requested.substring(at + 1), Map.of(), Map.of());
			return new Definition(requested, "", "http:" + this.base.getAuthority(), meta);
		}

		private Map<String, Definition> definitions(JsonNode description) {
			Map<String, Map<String, ServiceMetadata.MethodInfo>> methods = new LinkedHashMap<>();
			description.path("paths").forEach((path) -> {
				Matcher summary = SUMMARY.matcher(path.path("post").path("summary").asText());
				if (summary.matches()) {
					List<String> arguments = summary.group(3).isEmpty() ? List.of() : List.of(summary.group(3).split(", "));
					methods.computeIfAbsent(summary.group(1), (name) -> new LinkedHashMap<>())
						.put(summary.group(2), new ServiceMetadata.MethodInfo(summary.group(4), arguments));
				}
			});
			JsonNode allProperties = description.path("x-netron-properties");
			Map<String, Definition> definitions = new LinkedHashMap<>();
			methods.forEach((qualified, members) -> {
				int at = qualified.indexOf('@');
				Map<String, ServiceMetadata.PropertyInfo> properties = new LinkedHashMap<>();
				allProperties.path(qualified).fields().forEachRemaining((property) -> properties.put(property.getKey(),
						new ServiceMetadata.PropertyInfo(property.getValue().path("type").asText("Object"),
								property.getValue().path("readonly").asBoolean())));
				ServiceMetadata meta = new ServiceMetadata((at < 0) ? qualified : qualified.substring(0, at),
						(at < 0) ? "" : qualified.substring(at + 1), properties, members);
				definitions.put(qualified, new Definition(qualified, "", "http:" + this.base.getAuthority(), meta));
			});
			return definitions;
		}

		/** Exact, or the highest version of a name, as the HTTP transport resolves names. */
		private @Nullable Definition resolve(Map<String, Definition> known, String requested) {
			Definition exact = known.get(requested);
			if (exact != null || requested.contains("@")) {
				return exact;
			}
			Definition highest = null;
			for (Definition definition : known.values()) {
				if (definition.meta().name().equals(requested) && (highest == null || newer(definition, highest))) {
					highest = definition;
				}
			}
			return highest;
		}

		private static boolean newer(Definition a, Definition b) {
			Semver left = Semver.coerce(a.meta().version());
			Semver right = Semver.coerce(b.meta().version());
			return left != null && (right == null || left.isGreaterThan(right));
		}

		private CompletableFuture<JsonNode> post(String path, JsonNode body) {
			return send(request(path).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body.toString())));
		}

		private HttpRequest.Builder request(String path) {
			HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path)).timeout(this.timeout);
			this.headers.forEach(builder::header);
			return builder;
		}

		private @Nullable JsonNode readJson(byte[] body) {
			try {
				return HttpConnector.this.json.readTree(body);
			}
			catch (IOException ex) {
				return null;
			}
		}

		/** Sends a request; an answer that is no Netron envelope (a proxy's error page) fails the future. */
		private CompletableFuture<JsonNode> send(HttpRequest.Builder builder) {
			return HttpConnector.this.client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
				.thenApply((response) -> {
					JsonNode answer = readJson(response.body());
					boolean netron = answer != null && answer.isObject() && answer.has("success");
					if (!netron) {
						String text = new String(response.body(), StandardCharsets.UTF_8).strip();
						throw new IllegalStateException("HTTP " + response.statusCode() + " from " + response.uri()
								+ ((text.length() > 200) ? ": " + text.substring(0, 200) + "..." : text.isEmpty() ? "" : ": " + text));
					}
					return answer;
				});
		}

		private TitanError titanError(JsonNode error) {
			int code;
			try {
				code = Integer.parseInt(error.path("code").asText());
			}
			catch (NumberFormatException ex) {
				code = 500;
			}
			Object details = HttpJson.toValue(error.get("details"));
			@SuppressWarnings("unchecked")
			Map<String, @Nullable Object> detailMap = (details instanceof Map<?, ?> map) ? (Map<String, @Nullable Object>) map
					: Map.of();
			return TitanError.named((code == 500) ? "Error" : TitanError.DEFAULT_NAME, code, error.path("message").asText(),
					detailMap, null);
		}

		private void refuse(Packet request, String message) {
			answer(Packet.errorResponse(request.id(), request.flags(), TitanError.of(400, message, Map.of())));
		}

		private void answer(Packet response) {
			deliver(HttpConnector.this.codec.encode(response));
		}

		/** Hands a frame to the engine: one at a time, as a socket's frames come. */
		void deliver(byte[] frame) {
			if (this.closed.get()) {
				return;
			}
			synchronized (this) {
				this.listener.onBinary(frame);
			}
		}

		/** The node could not be reached: like a lost connection, callers fail and the peer reconnects. */
		private void lost(Throwable failure) {
			Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
			close(1006, "HTTP request to " + this.base + " failed: " + cause);
		}

		@Override
		public void sendText(String text) {
		}

		@Override
		public void sendPing() {
			// nothing to keep alive: each request opens or reuses a connection of its own
			this.listener.onPong();
		}

		@Override
		public void close(int code, String reason) {
			if (this.closed.compareAndSet(false, true)) {
				Executor later = CompletableFuture.delayedExecutor(0, java.util.concurrent.TimeUnit.MILLISECONDS);
				later.execute(() -> this.listener.onClose(code, reason));
			}
		}

		@Override
		public boolean isOpen() {
			return !this.closed.get();
		}

		@Override
		public String remoteAddress() {
			return this.base.toString();
		}

	}

}
