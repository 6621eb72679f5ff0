package io.netron.transport;

import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netron.core.MemoryBudget;
import io.netron.core.Netron;
import io.netron.core.NetronAuthenticator;
import io.netron.protocol.JsError;
import io.netron.protocol.TitanError;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP transport of the Titan generation, beside the WebSocket endpoint: {@code POST
 * <path>/invoke} calls one method, {@code POST <path>/batch} several, {@code POST
 * <path>/authenticate} checks credentials, all with JSON bodies and the envelopes a Titan node
 * answers with ({@code {id, success, data}} or {@code {id, success: false, error: {code, message,
 * details}}}, the HTTP status being the code). Calls go through {@link Netron#invokeLocal}: the
 * same services, conversions, security and accounting as calls over a WebSocket; streams, events
 * and sub-services are refused with a message saying they need a WebSocket. Bodies and batches
 * are bounded. {@code GET <path>/openapi.json} describes every method as
 * {@code POST <path>/invoke/<service>/<method>}, which takes the input alone as its body.
 * Independent of the server stack: {@link NetronHttpHandler} serves it on the servlet stack,
 * {@link NetronReactiveHttpHandler} on WebFlux.
 */
public class NetronHttpService {

	private static final Logger logger = LoggerFactory.getLogger(NetronHttpService.class);

	/** Titan's cache header on successful invocations. */
	static final String NO_CACHE = "no-store, no-cache, must-revalidate";

	private final Netron netron;

	private final int maxBodySize;

	private final int maxBatchSize;

	private final int maxRequestsInFlight;

	/** Invocations being served now, over every HTTP connection. */
	private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

	private final ObjectMapper json;

	/**
	 * A service.
	 * @param netron the node whose services it calls
	 * @param maxBodySize the largest request body, in bytes (413 past it)
	 * @param maxBatchSize the most requests in one batch (413 past it)
	 */
	public NetronHttpService(Netron netron, int maxBodySize, int maxBatchSize) {
		this(netron, maxBodySize, maxBatchSize, 256);
	}

	/**
	 * A service.
	 * @param netron the node whose services it calls
	 * @param maxBodySize the largest request body, in bytes (413 past it)
	 * @param maxBatchSize the most requests in one batch (413 past it)
	 * @param maxRequestsInFlight the most invocations served at once over HTTP, a batch's items
	 * included (503 past it)
	 */
	public NetronHttpService(Netron netron, int maxBodySize, int maxBatchSize, int maxRequestsInFlight) {
		this.netron = netron;
		this.maxBodySize = maxBodySize;
		this.maxBatchSize = maxBatchSize;
		this.maxRequestsInFlight = maxRequestsInFlight;
		this.json = HttpJson.mapper();
	}

	/** {@return the largest request body, in bytes} */
	public int maxBodySize() {
		return this.maxBodySize;
	}

	/**
	 * One HTTP request, as the server stack gives it.
	 * @param method the HTTP method
	 * @param uri the request's path
	 * @param contentType its {@code Content-Type}, if any
	 * @param contentLength its declared length, {@code -1} when not declared
	 * @param body its body, read here in parts each drawn from the node's memory budget
	 * @param principal who the application's filter chain authenticated, if anyone
	 * @param remoteAddress the caller's address and port, for logs and observations
	 */
	public record Request(String method, String uri, @Nullable String contentType, long contentLength, InputStream body,
			@Nullable Principal principal, String remoteAddress) {
	}

	/**
	 * The answer to a request: status, headers and a JSON body, whose bytes stay drawn from the
	 * node's memory budget until it is closed (once the server stack has written it).
	 */
	public static final class Response implements AutoCloseable {

		private final MemoryBudget.@Nullable Account memory;

		private int status = 200;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private byte[] body = new byte[0];

		Response(MemoryBudget.@Nullable Account memory) {
			this.memory = memory;
		}

		/** {@return the HTTP status} */
		public int status() {
			return this.status;
		}

		/** {@return the headers to send, {@code Content-Type} included} */
		public Map<String, String> headers() {
			return this.headers;
		}

		/** {@return the body} */
		public byte[] body() {
			return this.body;
		}

		void setHeader(String name, String value) {
			this.headers.put(name, value);
		}

		@Override
		public void close() {
			if (this.memory != null) {
				this.memory.close();
			}
		}

	}

	/**
	 * Serves one request; blocks until the call is answered, so a reactive server calls it off its
	 * event loop.
	 * @param request the request
	 * @return the answer, to close once written
	 * @throws IOException when the body cannot be read
	 */
	public Response handle(Request request) throws IOException {
		String uri = request.uri();
		String operation = uri.substring(uri.lastIndexOf('/') + 1);
		if (operation.equals("openapi.json") && "GET".equals(request.method())) {
			Response response = new Response(null);
			response.setHeader("Cache-Control", NO_CACHE);
			write(response, 200, OpenApiDescription.of(this.netron, basePath(uri, "/openapi.json")));
			return response;
		}
		if (!"POST".equals(request.method())) {
			Response response = new Response(null);
			response.setHeader("Allow", "POST");
			error(response, null, 405, "Method " + request.method() + " not allowed: use POST");
			return response;
		}
		// the body, what it parses to and the answer are drawn from the node's memory budget, as a
		// WebSocket connection's frames are: no number of requests at once can run the heap out
		MemoryBudget.Account memory = this.netron.memory()
			.open("HTTP request from " + request.remoteAddress(), (reason) -> {
				// its bytes are in use until it is answered, which is soon: it draws nothing more
				logger.debug("HTTP request {} {} over the memory budget: {}", request.method(), uri, reason);
			});
		Response response = new Response(memory);
		try {
			handlePost(request, response, uri, operation, memory);
			return response;
		}
		catch (IOException | RuntimeException ex) {
			memory.close();
			throw ex;
		}
	}

	private void handlePost(Request request, Response response, String uri, String operation,
			MemoryBudget.Account memory) throws IOException {
		String contentType = request.contentType();
		if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
			error(response, null, 415, "Unsupported content type " + contentType + ": send application/json");
			return;
		}
		JsonNode body;
		try {
			body = readBody(request, memory);
		}
		catch (BodyTooLarge ex) {
			error(response, null, 413, ex.getMessage());
			return;
		}
		catch (OverBudget ex) {
			error(response, null, 503, ex.getMessage());
			return;
		}
		catch (JsonProcessingException ex) {
			error(response, null, 400, "Invalid request format: the body is not JSON (" + ex.getOriginalMessage() + ")");
			return;
		}
		int byPath = uri.indexOf("/invoke/");
		if (byPath >= 0) {
			invokeByPath(request, response, uri.substring(byPath + "/invoke/".length()), body);
			return;
		}
		switch (operation) {
			case "invoke" -> invoke(request, response, body);
			case "batch" -> batch(request, response, body);
			case "authenticate" -> authenticate(response, body);
			default -> error(response, null, 404, "Not found: " + uri);
		}
	}

	// ------------------------------------------------------------------ operations

	private void invoke(Request request, Response response, JsonNode body) throws IOException {
		String id = text(body, "id");
		String service = text(body, "service");
		String method = text(body, "method");
		if (id == null || service == null || method == null) {
			error(response, null, 400, "Invalid request format");
			return;
		}
		long started = System.nanoTime();
		Outcome outcome = call(request, service, method, body.get("input"));
		if (outcome.error() != null) {
			write(response, outcome.status(), failure(id, errorObject(outcome, true)));
			return;
		}
		Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
		envelope.put("id", id);
		envelope.put("success", true);
		envelope.put("data", outcome.data());
		envelope.put("hints", Map.of("metrics", Map.of("serverTime", millisSince(started))));
		response.setHeader("Cache-Control", NO_CACHE);
		write(response, 200, envelope);
	}

	/**
	 * {@code POST <path>/invoke/<service>/<method>} with the input alone as the body: the form the
	 * API description lists, one path per method. Answered like {@code invoke}, with a generated id.
	 */
	private void invokeByPath(Request request, Response response, String rest, JsonNode input)
			throws IOException {
		int slash = rest.lastIndexOf('/');
		if (slash <= 0 || slash == rest.length() - 1) {
			error(response, null, 404, "Not found: expected <path>/invoke/<service>/<method>");
			return;
		}
		String service = java.net.URLDecoder.decode(rest.substring(0, slash), java.nio.charset.StandardCharsets.UTF_8);
		String method = java.net.URLDecoder.decode(rest.substring(slash + 1), java.nio.charset.StandardCharsets.UTF_8);
		ObjectNode body = this.json.createObjectNode();
		body.put("id", UUID.randomUUID().toString());
		body.put("service", service);
		body.put("method", method);
		body.set("input", input);
		response.setHeader("X-Request-Id", body.get("id").asText());
		invoke(request, response, body);
	}

	private void batch(Request request, Response response, JsonNode body) throws IOException {
		String id = text(body, "id");
		JsonNode requests = body.path("requests");
		if (id == null || !requests.isArray()) {
			error(response, null, 400, "Invalid request format: expected {id, requests: [...]}");
			return;
		}
		if (requests.size() > this.maxBatchSize) {
			error(response, id, 413, "Batch of " + requests.size() + " requests exceeds the limit of " + this.maxBatchSize
					+ " (netron.http.max-batch-size)");
			return;
		}
		long started = System.nanoTime();
		List<Map<String, @Nullable Object>> responses = new ArrayList<>();
		int successes = 0;
		for (JsonNode item : requests) {
			Map<String, @Nullable Object> entry = new LinkedHashMap<>();
			String itemId = text(item, "id");
			String service = text(item, "service");
			String method = text(item, "method");
			entry.put("id", itemId);
			Outcome outcome = (service == null || method == null)
					? new Outcome(400, null, "Invalid request format: expected {id, service, method, input}", Map.of())
					: call(request, service, method, item.get("input"));
			if (outcome.error() != null) {
				entry.put("success", false);
				entry.put("error", errorObject(outcome, false));
			}
			else {
				entry.put("success", true);
				entry.put("data", outcome.data());
				successes++;
			}
			responses.add(entry);
		}
		Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
		envelope.put("id", id);
		envelope.put("responses", responses);
		Map<String, Object> hints = new LinkedHashMap<>();
		hints.put("successCount", successes);
		hints.put("failureCount", responses.size() - successes);
		hints.put("totalTime", millisSince(started));
		envelope.put("hints", hints);
		write(response, 200, envelope);
	}

	/**
	 * Checks credentials ({@code {id, credentials: {username, password} | {token}}}) with the node's
	 * authenticator: 200 with who the caller is, 401 when refused, 503 without an authenticator. HTTP
	 * keeps no session: later requests carry their own credentials, which the application's filter
	 * chain checks.
	 */
	private void authenticate(Response response, JsonNode body) throws IOException {
		String id = text(body, "id");
		if (id == null || !body.path("credentials").isObject()) {
			error(response, null, 400, "Invalid request format: expected {id, credentials}");
			return;
		}
		NetronAuthenticator authenticator = this.netron.authenticator();
		if (authenticator == null || !authenticator.available()) {
			error(response, id, 503, "Authentication not configured");
			return;
		}
		@SuppressWarnings("unchecked")
		Map<String, @Nullable Object> credentials = (Map<String, @Nullable Object>) HttpJson.toValue(body.get("credentials"));
		try {
			NetronAuthenticator.Authenticated authenticated = authenticator.authenticate(credentials);
			Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
			envelope.put("id", id);
			envelope.put("success", true);
			envelope.put("data", authenticated.context());
			response.setHeader("Cache-Control", NO_CACHE);
			write(response, 200, envelope);
		}
		catch (Exception ex) {
			error(response, id, 401, (ex.getMessage() != null) ? ex.getMessage() : "Authentication failed");
		}
	}

	// ------------------------------------------------------------------ calls

	/** A call's result: the data, or a status with a message and details. */
	private record Outcome(int status, @Nullable Object data, @Nullable String error, Map<String, @Nullable Object> details) {
	}

	private Outcome call(Request request, String service, String method, @Nullable JsonNode input) {
		if (this.inFlight.incrementAndGet() > this.maxRequestsInFlight) {
			this.inFlight.decrementAndGet();
			return new Outcome(503, null, "Node " + this.netron.id() + " is serving " + this.maxRequestsInFlight
					+ " requests over HTTP already: try again later (netron.http.max-requests-in-flight)", Map.of());
		}
		try {
			return callAdmitted(request, service, method, input);
		}
		finally {
			this.inFlight.decrementAndGet();
		}
	}

	/** {@return the invocations being served over HTTP now} */
	public int requestsInFlight() {
		return Math.max(0, this.inFlight.get());
	}

	private Outcome callAdmitted(Request request, String service, String method, @Nullable JsonNode input) {
		List<@Nullable Object> args = new ArrayList<>();
		if (input != null && input.isArray()) {
			// an array is spread into the arguments, as a Titan node does
			input.forEach((item) -> args.add(HttpJson.toValue(item)));
		}
		else if (input != null && !input.isMissingNode()) {
			args.add(HttpJson.toValue(input));
		}
		Principal principal = request.principal();
		CompletableFuture<@Nullable Object> result = this.netron.invokeLocal(service, method, args, principal,
				request.remoteAddress(), "http");
		try {
			return new Outcome(200, result.get(), null, Map.of());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome(503, null, "Interrupted", Map.of());
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof TitanError titan) {
				return new Outcome(titan.code(), null, titan.getMessage(), titan.details());
			}
			String message = (cause instanceof JsError js) ? js.getMessage()
					: (cause != null && cause.getMessage() != null) ? cause.getMessage() : String.valueOf(cause);
			return new Outcome(500, null, message, Map.of());
		}
	}

	// ------------------------------------------------------------------ JSON

	private JsonNode readBody(Request request, MemoryBudget.Account memory) throws IOException {
		long declared = request.contentLength();
		if (declared > this.maxBodySize) {
			throw new BodyTooLarge(declared, this.maxBodySize);
		}
		java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream((int) Math.max(0, Math.min(declared, BODY_PART)));
		try (InputStream in = request.body()) {
			byte[] part = new byte[BODY_PART];
			int count;
			while ((count = in.readNBytes(part, 0, part.length)) > 0) {
				if (read.size() + count > this.maxBodySize) {
					throw new BodyTooLarge(read.size() + count, this.maxBodySize);
				}
				// twice: the part, and the copy the buffer makes when it grows
				if (!memory.take(2L * count)) {
					throw overBudget("its body");
				}
				read.write(part, 0, count);
			}
		}
		byte[] body = read.toByteArray();
		// what the body parses to may not take more than the node has left, as for a frame
		CountingNodeFactory nodes = new CountingNodeFactory(memory.available(), body.length);
		JsonNode node;
		try {
			node = this.json.reader().with(nodes).readTree(body);
		}
		catch (RuntimeException | com.fasterxml.jackson.databind.JsonMappingException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof OverBudget over) {
					throw over;
				}
			}
			throw ex;
		}
		// the tree, and the Java values the arguments are made of
		if (!memory.take(2 * nodes.spent())) {
			throw overBudget("what its body parses to");
		}
		boolean byPath = request.uri().contains("/invoke/");
		if (node == null || node.isMissingNode() || (!byPath && !node.isObject())) {
			throw new JsonProcessingException("expected a JSON object") {
			};
		}
		return node;
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isTextual() && !value.asText().isEmpty()) ? value.asText() : null;
	}

	/** {@code {code, message, details}} (a batch item's without details, as Titan writes it). */
	private static Map<String, @Nullable Object> errorObject(Outcome outcome, boolean withDetails) {
		return errorObject(outcome.status(), String.valueOf(outcome.error()), withDetails ? outcome.details() : null);
	}

	/** {@code {code, message, details}}, without details when they are {@code null}. */
	private static Map<String, @Nullable Object> errorObject(int status, String message,
			@Nullable Map<String, @Nullable Object> details) {
		Map<String, @Nullable Object> error = new LinkedHashMap<>();
		error.put("code", Integer.toString(status));
		error.put("message", message);
		if (details != null) {
			error.put("details", details);
		}
		return error;
	}

	/** {@code {id, success: false, error}}. */
	private static Map<String, @Nullable Object> failure(@Nullable Object id, Map<String, @Nullable Object> error) {
		Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
		envelope.put("id", id);
		envelope.put("success", false);
		envelope.put("error", error);
		return envelope;
	}

	private void error(Response response, @Nullable String id, int status, String message) throws IOException {
		String requestId = (id != null) ? id : UUID.randomUUID().toString();
		if (id == null) {
			response.setHeader("X-Request-Id", requestId);
		}
		write(response, status, failure(requestId, errorObject(status, message, Map.of())));
	}

	private void write(Response response, int status, Map<String, ? extends @Nullable Object> envelope)
			throws IOException {
		byte[] bytes;
		try {
			bytes = this.json.writeValueAsBytes(envelope);
		}
		catch (JsonProcessingException ex) {
			logger.debug("Cannot write a result as JSON", ex);
			bytes = this.json.writeValueAsBytes(failure(envelope.get("id"),
					errorObject(500, "The result cannot be written as JSON: " + ex.getOriginalMessage(), Map.of())));
			status = 500;
		}
		if (response.memory != null && !response.memory.take(bytes.length)) {
			bytes = this.json.writeValueAsBytes(failure(envelope.get("id"), errorObject(503,
					overBudget("its answer of " + bytes.length + " bytes").getMessage(), Map.of())));
			status = 503;
		}
		response.status = status;
		response.setHeader("Content-Type", "application/json");
		response.body = bytes;
	}

	private OverBudget overBudget(String what) {
		return new OverBudget("Request refused: node " + this.netron.id() + " is over its memory budget of "
				+ this.netron.memory().limit() + " bytes (netron.server.max-buffered-bytes) with " + what);
	}

	/** The bytes a request body is read in, each drawn from the budget before it is kept. */
	private static final int BODY_PART = 64 * 1024;

	/** A request the node's memory budget has no room for. */
	private static final class OverBudget extends IOException {

		OverBudget(String message) {
			super(message);
		}

	}

	/**
	 * Builds the JSON tree of a body counting the heap its nodes take (estimated as the msgpack
	 * decoder does), refusing past what the node has left of its budget or past the factor a frame
	 * may decode to.
	 */
	@SuppressWarnings("serial")
	private static final class CountingNodeFactory extends com.fasterxml.jackson.databind.node.JsonNodeFactory {

		/** A container node and its collection; a scalar node. */
		private static final long CONTAINER = 64, SCALAR = 24;

		private final long cap;

		private final int bodyLength;

		private long spent;

		CountingNodeFactory(long available, int bodyLength) {
			super(true);
			this.cap = available;
			this.bodyLength = bodyLength;
		}

		long spent() {
			return this.spent;
		}

		private void charge(long bytes) {
			this.spent += bytes;
			if (this.spent > this.cap) {
				throw new java.io.UncheckedIOException(new OverBudget("Request refused: a body of " + this.bodyLength
						+ " bytes parses to more than the " + this.cap
						+ " bytes the node has left of its memory budget (netron.server.max-buffered-bytes)"));
			}
		}

		@Override
		public ObjectNode objectNode() {
			charge(CONTAINER);
			return new CountingObjectNode(this);
		}

		@Override
		public com.fasterxml.jackson.databind.node.ArrayNode arrayNode() {
			charge(CONTAINER);
			return new CountingArrayNode(this, 0);
		}

		@Override
		public com.fasterxml.jackson.databind.node.ArrayNode arrayNode(int capacity) {
			charge(CONTAINER);
			return new CountingArrayNode(this, capacity);
		}

		@Override
		public com.fasterxml.jackson.databind.node.TextNode textNode(String text) {
			charge(SCALAR + 40 + text.length());
			return super.textNode(text);
		}

		@Override
		public com.fasterxml.jackson.databind.node.ValueNode numberNode(java.math.BigInteger value) {
			charge(SCALAR + 16 + value.bitLength() / 8);
			return super.numberNode(value);
		}

		@Override
		public com.fasterxml.jackson.databind.node.ValueNode numberNode(java.math.BigDecimal value) {
			charge(SCALAR + 40 + value.unscaledValue().bitLength() / 8);
			return super.numberNode(value);
		}

		@Override
		public com.fasterxml.jackson.databind.node.NumericNode numberNode(long value) {
			charge(SCALAR);
			return super.numberNode(value);
		}

		@Override
		public com.fasterxml.jackson.databind.node.NumericNode numberNode(int value) {
			charge(SCALAR);
			return super.numberNode(value);
		}

		@Override
		public com.fasterxml.jackson.databind.node.NumericNode numberNode(double value) {
			charge(SCALAR);
			return super.numberNode(value);
		}

	}

	/** An object node whose entries are counted. */
	@SuppressWarnings("serial")
	private static final class CountingObjectNode extends ObjectNode {

		private final transient CountingNodeFactory counting;

		CountingObjectNode(CountingNodeFactory factory) {
			super(factory);
			this.counting = factory;
		}

		@Override
		public JsonNode set(String field, @Nullable JsonNode value) {
			this.counting.charge(ENTRY + field.length());
			return super.set(field, value);
		}

		@Override
		public JsonNode replace(String field, @Nullable JsonNode value) {
			this.counting.charge(ENTRY + field.length());
			return super.replace(field, value);
		}

	}

	/** An array node whose elements are counted. */
	@SuppressWarnings("serial")
	private static final class CountingArrayNode extends com.fasterxml.jackson.databind.node.ArrayNode {

		private final transient CountingNodeFactory counting;

		CountingArrayNode(CountingNodeFactory factory, int capacity) {
			super(factory, capacity);
			this.counting = factory;
		}

		@Override
		public com.fasterxml.jackson.databind.node.ArrayNode add(@Nullable JsonNode value) {
			this.counting.charge(ELEMENT);
			return super.add(value);
		}

	}

	/** What an object's entry (besides its name's characters) and an array's element take. */
	private static final long ENTRY = 32, ELEMENT = 8;

	private static String basePath(String uri, String suffix) {
		return uri.substring(0, uri.length() - suffix.length());
	}

	private static long millisSince(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1_000_000;
	}

	/** A body past the limit. */
	private static final class BodyTooLarge extends IOException {

		BodyTooLarge(long size, int limit) {
			super("Request body of " + size + " bytes exceeds the limit of " + limit + " bytes (netron.http.max-body-size)");
		}

	}

}
