package io.netron.sample;

import java.time.Duration;

import io.netron.core.Netron;
import io.netron.discovery.NodeInfo;
import io.netron.discovery.ServiceDiscovery;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application's discovery profile against Redis in a container. Runs where a Docker
 * engine exists; elsewhere JUnit reports it skipped ("disabledWithoutDocker"). Nothing else
 * depends on it: the discovery tests of the starter run a real redis-server without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.profiles.active=discovery", "sample.demo.enabled=false",
				"netron.discovery.advertised-address=127.0.0.1:1" })
class SampleAppRedisContainerTests {

	@Container
	@ServiceConnection
	static GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7-alpine"))
		.withExposedPorts(6379);

	@Autowired
	ServiceDiscovery discovery;

	@Autowired
	Netron netron;

	@Test
	void registersItsConformanceServices() {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(this.discovery.getActiveNodes())
			.extracting(NodeInfo::nodeId)
			.contains(this.netron.id()));
		assertThat(this.discovery.findNodesByService("conformance", "^2")).hasSize(1);
	}

}
