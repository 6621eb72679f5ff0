package io.netron.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping a node under load loses no answer: every call it received is answered or refused,
 * and the connections close with 1001 so that peers know to go elsewhere.
 */
class ShutdownTests {

	private final TestNodes nodes = new TestNodes();

	@AfterEach
	void stop() throws Exception {
		this.nodes.close();
	}

	@NetronService("slow@1.0.0")
	static class Slow {

		private static final Executor later = CompletableFuture.delayedExecutor(3, TimeUnit.MILLISECONDS);

		@Public
		public CompletableFuture<Integer> echo(int value) {
			return CompletableFuture.supplyAsync(() -> value, later);
		}

	}

	@Test
	void stoppingUnder256CallsInFlightAnswersOrRefusesEveryCallAndClosesWithGoingAway() throws Exception {
		ConfigurableApplicationContext server = this.nodes.server(new Class<?>[] { Slow.class });
		RemotePeer peer = this.nodes.client().connect(TestNodes.url(server)).join();
		RemoteService slow = peer.queryInterface("slow@1.0.0");
		Semaphore window = new Semaphore(256);
		Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
		AtomicInteger sent = new AtomicInteger();
		AtomicInteger settled = new AtomicInteger();
		Thread load = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				try {
					window.acquire();
				}
				catch (InterruptedException ex) {
					return;
				}
				if (!peer.isConnected()) {
					window.release();
					return;
				}
				sent.incrementAndGet();
				int value = sent.get();
				slow.call("echo", value).whenComplete((result, failure) -> {
					outcomes.computeIfAbsent(classify(value, result, failure), (key) -> new AtomicInteger()).incrementAndGet();
					settled.incrementAndGet();
					window.release();
				});
			}
		}, "load");
		load.start();
		// the load runs (a slow machine only takes longer to get here: nothing depends on its speed)
		await().atMost(Duration.ofSeconds(120)).until(() -> settled.get() >= 1_000);
		int answeredBefore = settled.get();
		server.close();
		load.join(60_000);
		await().atMost(Duration.ofSeconds(120)).until(() -> settled.get() == sent.get());
		assertThat(outcomes.keySet()).as("outcomes %s", outcomes)
			.isSubsetOf(List.of("answered", "refused", "shutting down", "not sent"));
		assertThat(outcomes.get("answered").get()).isGreaterThanOrEqualTo(answeredBefore);
	}

	@Test
	void aStoppingNodeDoesNotReconnectToPeersItLoses() {
		ConfigurableApplicationContext server = this.nodes.server(new Class<?>[] { Slow.class });
		Netron client = this.nodes.client();
		RemotePeer peer = client.connect(TestNodes.url(server)).join();
		client.drain(Duration.ofSeconds(1)).join();
		server.close();
		await().atMost(Duration.ofSeconds(5)).until(peer::isClosed);
		assertThat(client.peers()).isEmpty();
	}

	/** What became of a call: answered, refused by the draining node, failed by the 1001 close, or never sent. */
	private static String classify(int value, Object result, Throwable failure) {
		if (failure == null) {
			return (result instanceof Integer answer && answer == value) ? "answered" : "wrong answer " + result;
		}
		String message = String.valueOf(Failures.unwrap(failure).getMessage());
		if (message.contains("is shutting down: request refused")) {
			return "refused";
		}
		if (message.contains("is shutting down (code 1001, going away) before answering")) {
			return "shutting down";
		}
		if (message.contains("is not connected")) {
			return "not sent";
		}
		return "lost: " + message;
	}

	/**
	 * A context stopped and started again (as the TestContext framework pauses the contexts it
	 * caches and resumes the one a test class uses) serves again: it said "shutting down" for good.
	 */
	@Test
	void aNodeStoppedAndStartedAgainServesAgain() {
		ConfigurableApplicationContext server = this.nodes.server(new Class<?>[] { Slow.class });
		RemotePeer before = this.nodes.client().connect(TestNodes.url(server)).join();
		assertThat(before.queryInterface("slow@1.0.0").call("echo", 1).join()).isEqualTo(1);
		server.stop();
		assertThat(TestNodes.netron(server).isDraining()).isTrue();
		server.start();
		RemotePeer after = this.nodes.client().connect(TestNodes.url(server)).join();
		assertThat(after.queryInterface("slow@1.0.0").call("echo", 2).join()).isEqualTo(2);
		assertThat(TestNodes.netron(server).isDraining()).isFalse();
	}

}
