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

}
