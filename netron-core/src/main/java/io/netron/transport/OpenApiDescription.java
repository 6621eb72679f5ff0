package io.netron.transport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netron.core.Netron;
import io.netron.protocol.Definition;
import io.netron.protocol.ServiceMetadata;

/**
 * An OpenAPI 3.1 description of a node's services over the HTTP transport, made from the same
 * definitions peers receive: one {@code POST <path>/invoke/<service>/<method>} operation per method,
 * its body the arguments as an array (typed from the definition's type names where JSON has the
 * type), its answers Titan's envelopes. Served at {@code GET <path>/openapi.json}
 * ({@link NetronHttpHandler}); the Spring Boot starter also contributes it to springdoc-openapi.
 */
public final class OpenApiDescription {

	/** The names of the envelope schemas in the node's own description. */
	private static final String OWN_PREFIX = "";

	private OpenApiDescription() {
	}

	/**
	 * The description of the node's services as served at {@code <basePath>/openapi.json}.
	 * @param netron the node
	 * @param basePath the base path of the HTTP transport, such as {@code /netron}
	 * @return the OpenAPI document as JSON-shaped maps and lists
	 */
	public static Map<String, Object> of(Netron netron, String basePath) {
		return of(netron, basePath, OWN_PREFIX);
	}

	/**
	 * The description with its envelope schemas named {@code <schemaPrefix>Success} and
	 * {@code <schemaPrefix>Failure}, to sit beside an application's own schemas in one document.
	 * @param netron the node
	 * @param basePath the base path of the HTTP transport
	 * @param schemaPrefix the prefix of the schema names
	 * @return the OpenAPI document as JSON-shaped maps and lists
	 */
	public static Map<String, Object> of(Netron netron, String basePath, String schemaPrefix) {
		Map<String, Object> paths = new LinkedHashMap<>();
		for (Definition definition : netron.localPeer().services().values()) {
			ServiceMetadata meta = definition.meta();
			meta.methods().forEach((name, method) -> {
				Map<String, Object> operation = new LinkedHashMap<>();
				operation.put("operationId", (meta.qualifiedName() + "_" + name).replaceAll("[^A-Za-z0-9_]", "_"));
				operation.put("tags", List.of(meta.qualifiedName()));
				operation.put("summary", meta.qualifiedName() + "." + name + "(" + String.join(", ", method.arguments())
						+ "): " + method.type());
				List<Object> items = new ArrayList<>();
				method.arguments().forEach((type) -> items.add(schema(type)));
				Map<String, Object> arguments = new LinkedHashMap<>();
				arguments.put("type", "array");
				arguments.put("prefixItems", items);
				arguments.put("maxItems", items.size());
				operation.put("requestBody", Map.of("required", false, "description",
						"The arguments as an array (a value that is not an array is the only argument)", "content",
						Map.of("application/json", Map.of("schema", arguments))));
				Map<String, Object> responses = new LinkedHashMap<>();
				String success = "#/components/schemas/" + schemaPrefix + "Success";
				String failure = "#/components/schemas/" + schemaPrefix + "Failure";
				responses.put("200", response("The result, as data", success));
				responses.put("400", response("Malformed request, or arguments that do not fit", failure));
				responses.put("403", response("Denied", failure));
				responses.put("404", response("Unknown service or method", failure));
				responses.put("500", response("The service's own exception", failure));
				operation.put("responses", responses);
				paths.put(basePath + "/invoke/" + meta.qualifiedName() + "/" + name, Map.of("post", operation));
			});
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("openapi", "3.1.0");
		document.put("info", Map.of("title", "Netron services of node " + netron.id(), "version", "1.0.0"));
		document.put("paths", paths);
		// the properties, which HTTP cannot read or write, so that clients can say so rather than not know them
		Map<String, Object> properties = new LinkedHashMap<>();
		for (Definition definition : netron.localPeer().services().values()) {
			Map<String, Object> own = new LinkedHashMap<>();
			definition.meta().properties().forEach((name, info) -> own.put(name,
					Map.of("type", info.type(), "readonly", info.readonly())));
			if (!own.isEmpty()) {
				properties.put(definition.meta().qualifiedName(), own);
			}
		}
		document.put("x-netron-properties", properties);
		document.put("components", Map.of("schemas", schemas(schemaPrefix)));
		return document;
	}

	/** JSON Schema of a definition's type name: what JSON has a type for, anything otherwise. */
	private static Map<String, Object> schema(String typeName) {
		return switch (typeName) {
			case "Number" -> Map.of("type", "number");
			case "String" -> Map.of("type", "string");
			case "Boolean" -> Map.of("type", "boolean");
			case "Array", "List", "Set" -> Map.of("type", "array");
			default -> Map.of("description", typeName);
		};
	}

	private static Map<String, Object> response(String description, String schema) {
		return Map.of("description", description, "content",
				Map.of("application/json", Map.of("schema", Map.of("$ref", schema))));
	}

	private static Map<String, Object> schemas(String prefix) {
		Map<String, Object> success = new LinkedHashMap<>();
		success.put("type", "object");
		success.put("required", List.of("id", "success", "data"));
		success.put("properties", Map.of("id", Map.of("type", "string"), "success", Map.of("const", true), "data",
				Map.of("description", "The method's result")));
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("type", "object");
		error.put("required", List.of("code", "message"));
		error.put("properties", Map.of("code", Map.of("type", "string", "description", "The HTTP status, as text"), "message",
				Map.of("type", "string"), "details", Map.of("type", "object")));
		Map<String, Object> failure = new LinkedHashMap<>();
		failure.put("type", "object");
		failure.put("required", List.of("id", "success", "error"));
		failure.put("properties", Map.of("id", Map.of("type", "string"), "success", Map.of("const", false), "error", error));
		Map<String, Object> schemas = new LinkedHashMap<>();
		schemas.put(prefix + "Success", success);
		schemas.put(prefix + "Failure", failure);
		return schemas;
	}

}
