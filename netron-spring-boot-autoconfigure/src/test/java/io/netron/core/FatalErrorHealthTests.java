package io.netron.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose I/O thread died of an {@link OutOfMemoryError} lives on deaf: its health says so
 * (DOWN, naming the thread and the error) instead of UP, read here over HTTP from the actuator.
 */
class FatalErrorHealthTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[0], "management.endpoint.health.show-details=always",
				"management.health.redis.enabled=false");
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@AfterEach
	void forget() {
		FatalErrors.clear();
	}

	@Test
	void aThreadDyingOfOutOfMemoryTurnsTheNodesHealthDown() throws Exception {
		assertThat(health()).contains("\"status\":\"UP\"").doesNotContain("fatalError");
		// as Tomcat's poller dies: the error escapes its run loop
		Thread poller = new Thread(() -> {
			throw new OutOfMemoryError("Java heap space (simulated)");
		}, "http-nio-8080-Poller");
		poller.start();
		poller.join(5000);
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(health()).contains("\"status\":\"DOWN\"")
			.contains("java.lang.OutOfMemoryError: Java heap space (simulated) in thread 'http-nio-8080-Poller'"));
		// an ordinary exception killing a thread is not the node's business
		FatalErrors.clear();
		Thread ordinary = new Thread(() -> {
			throw new IllegalStateException("not fatal");
		}, "some-worker");
		ordinary.start();
		ordinary.join(5000);
		assertThat(health()).contains("\"status\":\"UP\"").doesNotContain("fatalError");
	}

	private static String health() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestNodes.port(server) + "/actuator/health/netron"))
				.build(), HttpResponse.BodyHandlers.ofString());
		return response.body();
	}

}
