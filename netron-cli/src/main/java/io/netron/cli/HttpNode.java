package io.netron.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A node reached over its HTTP transport ({@code http://host:port/netron}): calls go to
 * {@code POST <url>/invoke}, the description comes from {@code GET <url>/openapi.json}. Stateless:
 * no streams, events, property access or sub-services.
 */
final class HttpNode {

	private final URI base;

	private final Map<String, String> headers;

	private final Duration timeout;

	private final HttpClient client;

	HttpNode(URI base, Map<String, String> headers, Duration timeout) {
		String text = base.toString();
		this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
		this.headers = headers;
		this.timeout = timeout;
		this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
	}

	/** Calls a method; its result as JSON, or the end of the command with the node's error (exit 1). */
	JsonNode invoke(String service, String method, JsonNode input) {
		ObjectNode body = JsonValues.JSON.createObjectNode();
		body.put("id", UUID.randomUUID().toString());
		body.put("service", service);
		body.put("method", method);
		body.set("input", input);
		JsonNode answer = send(HttpRequest.newBuilder(URI.create(this.base + "/invoke"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString())), service + "." + method);
		if (answer.path("success").asBoolean()) {
			return answer.path("data");
		}
		JsonNode error = answer.path("error");
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("code", error.path("code").asText());
		if (error.path("details").size() > 0) {
			fields.put("details", JsonValues.fromJson(error.path("details")));
		}
		throw new NetronCli.RemoteErrorException(new NetronCli.RemoteError("HttpError", error.path("message").asText(), fields));
	}

	/** The node's API description. */
	JsonNode description() {
		return send(HttpRequest.newBuilder(URI.create(this.base + "/openapi.json")).GET(), "the API description");
	}

	private JsonNode send(HttpRequest.Builder builder, String what) {
		builder.timeout(this.timeout);
		this.headers.forEach(builder::header);
		HttpResponse<String> response;
		try {
			response = this.client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (HttpTimeoutException ex) {
			throw new NetronCli.CliException(NetronCli.UNREACHABLE, "No answer from " + this.base + " within "
					+ this.timeout.toMillis() / 1000.0 + " s");
		}
		catch (IOException ex) {
			throw new NetronCli.CliException(NetronCli.UNREACHABLE, "Cannot reach " + this.base + ": "
					+ (io.netron.core.Failures.isUnresolvedHost(ex) ? io.netron.core.Failures.unresolvedHost(this.base.getHost())
							: (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NetronCli.CliException(NetronCli.UNREACHABLE, "Interrupted while waiting for " + what);
		}
		JsonNode answer;
		try {
			answer = JsonValues.JSON.readTree(response.body());
		}
		catch (IOException ex) {
			answer = null;
		}
		if (answer == null || !answer.isObject()) {
			throw new NetronCli.CliException(NetronCli.UNREACHABLE, "HTTP " + response.statusCode() + " from " + this.base
					+ " for " + what + " is not a Netron answer"
					+ ((response.statusCode() == 401) ? " (send credentials with --header)" : ""));
		}
		if (response.statusCode() == 401 || response.statusCode() == 403) {
			throw new NetronCli.CliException(NetronCli.UNREACHABLE, "Refused with HTTP " + response.statusCode() + " by "
					+ this.base + ((response.statusCode() == 401) ? " (send credentials with --header" + ((what
						.equals("the API description")) ? "; a Titan node describes its services only to authenticated "
								+ "callers, and 'call' works without the description)" : ")") : ""));
		}
		return answer;
	}

}
