package io.netron.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata IDEs read: every property the README's table lists is there, the
 * health toggles included.
 */
class ConfigurationMetadataTests {

	@Test
	void metadataListsTheNetronPropertiesAndTheHealthToggles() throws Exception {
		List<String> names = new ArrayList<>();
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata").isNotNull();
			for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
				names.add(property.path("name").asText());
			}
		}
		assertThat(names).contains("management.health.netron.enabled", "management.health.netrondiscovery.enabled",
				"netron.request-timeout", "netron.shutdown-timeout", "netron.stream-max-buffered-bytes",
				"netron.server.max-message-size", "netron.discovery.heartbeat-interval", "netron.peers",
				"netron.server.max-connections", "netron.server.max-connections-per-address",
				"netron.server.max-requests-in-flight", "netron.server.ping-interval", "netron.server.idle-timeout",
				"netron.remote-exposure.enabled", "netron.remote-exposure.principals", "netron.remote-exposure.services",
				"netron.remote-exposure.shadow-local", "netron.subscribable-events", "netron.discovery.routing",
				"netron.observations.cached-timers", "netron.discovery.key-prefix", "netron.discovery.pub-sub-channel", "netron.http.enabled",
				"netron.http.max-body-size", "netron.http.max-batch-size", "netron.http.cors.allowed-origins");
	}

	/**
	 * Every default the README's tables state as a literal value is the one IDEs show: a default
	 * the processor cannot read (a list built in a field initializer) is declared in the additional
	 * metadata.
	 */
	@Test
	void theDefaultsTheReadmeStatesAreInTheMetadata() throws Exception {
		java.util.Map<String, JsonNode> metadata = new java.util.HashMap<>();
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
				metadata.put(property.path("name").asText(), property);
			}
		}
		String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
		java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| `((?:netron|management)\\.[a-z.-]+)` \\| `([^`]+)` \\|")
			.matcher(readme);
		List<String> checked = new ArrayList<>();
		List<String> wrong = new ArrayList<>();
		while (row.find()) {
			String name = row.group(1);
			String stated = row.group(2);
			JsonNode property = metadata.get(name);
			if (property == null || stated.startsWith("netron.") || stated.startsWith("<")) {
				continue;
			}
			JsonNode value = property.path("defaultValue");
			String actual = value.isArray() ? String.join(",", new ObjectMapper().convertValue(value, String[].class))
					: value.isMissingNode() ? "(none)" : value.asText();
			checked.add(name);
			if (!actual.equalsIgnoreCase(stated)) {
				wrong.add(name + ": README says " + stated + ", metadata " + actual);
			}
		}
		assertThat(checked).contains("netron.request-timeout", "netron.remote-exposure.services", "netron.subscribable-events");
		assertThat(wrong).isEmpty();
	}

}
