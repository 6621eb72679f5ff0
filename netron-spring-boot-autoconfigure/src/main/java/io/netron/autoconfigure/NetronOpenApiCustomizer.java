package io.netron.autoconfigure;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netron.core.Netron;
import io.netron.transport.OpenApiDescription;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Contributes the HTTP transport's operations to the application's springdoc-openapi document, so
 * that one description (and Swagger UI) shows the application's controllers and its Netron methods:
 * one {@code POST <path>/invoke/<service>/<method>} operation each, tagged with the service, made
 * from the same definitions as {@code <path>/openapi.json}; the envelope schemas are named
 * {@code NetronSuccess} and {@code NetronFailure}. The document is read when springdoc builds it
 * (once, unless {@code springdoc.cache.disabled}), so services exposed later appear after a rebuild.
 */
final class NetronOpenApiCustomizer implements OpenApiCustomizer {

	private final Netron netron;

	private final String basePath;

	NetronOpenApiCustomizer(Netron netron, String basePath) {
		this.netron = netron;
		this.basePath = basePath;
	}

	@Override
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public void customise(OpenAPI openApi) {
		Map<String, Object> description = OpenApiDescription.of(this.netron, this.basePath, "Netron");
		ObjectMapper mapper = Json31.mapper();
		((Map<String, Object>) description.get("paths"))
			.forEach((path, item) -> openApi.path(path, mapper.convertValue(item, PathItem.class)));
		Components components = (openApi.getComponents() != null) ? openApi.getComponents() : new Components();
		Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) description.get("components"))
			.get("schemas");
		schemas.forEach((name, schema) -> components.addSchemas(name, mapper.convertValue(schema, Schema.class)));
		openApi.setComponents(components);
	}

}
