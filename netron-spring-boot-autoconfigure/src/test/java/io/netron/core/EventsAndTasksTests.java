package io.netron.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.Definition;
import io.netron.protocol.Undefined;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tasks, events across peers, and services exposed into another node.
 */
class EventsAndTasksTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	private static Netron serverNode;

	private static final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { TestServices.Calculator.class }, "netron.allow-service-events=true",
				"netron.task-timeout=300ms");
		serverNode = TestNodes.netron(server);
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
		scheduler.shutdownNow();
	}

	@AfterEach
	void removeTasks() {
		serverNode.taskManager().removeTask("double");
		serverNode.taskManager().removeTask("sleepy");
	}

	private RemotePeer connect() {
		return nodes.client().connect(TestNodes.url(server)).join();
	}

	@Test
	void userTaskRunsWithPeerAndArguments() {
		serverNode.addTask("double", (peer, args) -> ((Number) args.get(0)).intValue() * 2);
		RemotePeer peer = connect();
		assertThat(peer.runTask("double", 21).join()).isEqualTo(42);
	}

	@Test
	void unknownTaskFailsWithSeedMessage() {
		assertThat(connect().runTask("no_such_task")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(RemoteInvocationException.class)
			.withMessage("Error: Task not found: no_such_task");
	}

	@Test
	void slowTaskTimesOutWithSeedMessage() {
		serverNode.addTask("sleepy", (peer, args) -> new CompletableFuture<>());
		assertThat(connect().runTask("sleepy")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(RemoteInvocationException.class)
			.withMessage("Error: Task timed out: sleepy (300ms)");
	}

	@Test
	void overwriteStrategiesFollowTheSeed() {
		TaskManager replace = new TaskManager(Duration.ofSeconds(1), TaskOverwriteStrategy.REPLACE, scheduler);
		assertThat(replace.addTask("t", (peer, args) -> 1)).isTrue();
		assertThat(replace.addTask("t", (peer, args) -> 2)).isTrue();
		TaskManager skip = new TaskManager(Duration.ofSeconds(1), TaskOverwriteStrategy.SKIP, scheduler);
		assertThat(skip.addTask("t", (peer, args) -> 1)).isTrue();
		assertThat(skip.addTask("t", (peer, args) -> 2)).isFalse();
		TaskManager strict = new TaskManager(Duration.ofSeconds(1), TaskOverwriteStrategy.THROW, scheduler);
		strict.addTask("t", (peer, args) -> 1);
		assertThatIllegalStateException().isThrownBy(() -> strict.addTask("t", (peer, args) -> 2))
			.withMessage("Task already exists: t");
		assertThat(replace.runTask("t", null, List.of(), Runnable::run).join()).isEqualTo(2);
		assertThat(skip.runTask("t", null, List.of(), Runnable::run).join()).isEqualTo(1);
	}

	@Test
	void subscriberReceivesEventsInOrderAndTheEmitterWaitsForAcknowledgement() {
		RemotePeer peer = connect();
		List<Object> received = new CopyOnWriteArrayList<>();
		peer.subscribe("ticks", (args) -> received.add(args.get(0))).join();
		for (int i = 0; i < 50; i++) {
			serverNode.emit("ticks", i).join();
		}
		// emit completes once every subscribed peer acknowledged, so all 50 are there already
		assertThat(received).hasSize(50);
		List<Object> expected = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			expected.add(i);
		}
		assertThat(received).containsExactlyElementsOf(expected);
	}

	@Test
	void sameListenerSubscribedTwiceIsCalledOnceAndUnsubscribeStopsDelivery() {
		RemotePeer peer = connect();
		List<Object> received = Collections.synchronizedList(new ArrayList<>());
		NetronEventListener listener = (args) -> received.add(args.get(0));
		peer.subscribe("once", listener).join();
		peer.subscribe("once", listener).join();
		serverNode.emit("once", "a").join();
		assertThat(received).containsExactly("a");
		peer.unsubscribe("once", listener).join();
		serverNode.emit("once", "b").join();
		assertThat(received).containsExactly("a");
	}

	/** Names subscribed once and left (by unsubscribe or disconnect) hold nothing on the node afterwards. */
	@Test
	void subscriptionsLeftByUnsubscribeOrDisconnectLeaveNoEntryBehind() {
		int before = serverNode.events().eventsListenedTo();
		for (int round = 0; round < 20; round++) {
			RemotePeer peer = connect();
			NetronEventListener listener = (args) -> {
			};
			for (int i = 0; i < 50; i++) {
				peer.subscribe("leak-" + round + "-" + i, listener).join();
			}
			assertThat(serverNode.events().eventsListenedTo()).isGreaterThanOrEqualTo(before + 50);
			for (int i = 0; i < 25; i++) {
				peer.unsubscribe("leak-" + round + "-" + i, listener).join();
			}
			peer.disconnect();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(serverNode.events().eventsListenedTo()).isEqualTo(before));
	}

	@Test
	void peerConnectAndDisconnectEventsCarryThePeerId() {
		List<Object> events = new CopyOnWriteArrayList<>();
		try (Netron.Subscription connectSub = serverNode.on(NetronEvents.PEER_CONNECT, (args) -> events.add("connect " + args.get(0)));
				Netron.Subscription disconnectSub = serverNode.on(NetronEvents.PEER_DISCONNECT,
						(args) -> events.add("disconnect " + args.get(0)))) {
			Netron client = nodes.client();
			RemotePeer peer = client.connect(TestNodes.url(server)).join();
			peer.disconnect();
			String payload = Map.of("peerId", client.id()).toString();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(events).containsExactly("connect " + payload, "disconnect " + payload));
		}
	}

	@Test
	void serviceEventsKeepTheCallersServiceListCurrent() {
		RemotePeer peer = connect();
		List<Object> exposed = new CopyOnWriteArrayList<>();
		peer.subscribe(NetronEvents.SERVICE_EXPOSE, (args) -> exposed.add(args.get(0))).join();
		Definition definition = serverNode.exposeService(new Extra());
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> peer.serviceNames().contains("extra@1.0.0"));
			assertThat(peer.queryInterface("extra").call("ping").join()).isEqualTo("extra-pong");
			await().atMost(Duration.ofSeconds(5)).until(() -> !exposed.isEmpty());
			@SuppressWarnings("unchecked")
			Map<String, Object> event = (Map<String, Object>) exposed.get(0);
			assertThat(event).containsOnlyKeys("name", "version", "qualifiedName", "peerId", "definition");
			assertThat(event).containsEntry("name", "extra").containsEntry("version", "1.0.0")
				.containsEntry("qualifiedName", "extra@1.0.0").containsEntry("peerId", serverNode.id())
				.containsEntry("definition", definition);
		}
		finally {
			serverNode.unexposeService("extra@1.0.0");
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> !peer.serviceNames().contains("extra@1.0.0"));
	}

	@Test
	void serviceExposedIntoAHubIsCallableByAThirdNode() {
		RemotePeer ownerToHub = connect();
		Definition definition = ownerToHub.exposeService(new Extra()).join();
		assertThat(definition.peerId()).isEqualTo(ownerToHub.netronId());
		try {
			RemotePeer thirdToHub = connect();
			assertThat(thirdToHub.serviceNames()).contains("extra@1.0.0");
			assertThat(thirdToHub.queryInterface("extra@1.0.0").call("ping").join()).isEqualTo("extra-pong");
			assertThat(thirdToHub.queryInterface("extra@1.0.0").call("twice", "ab").join()).isEqualTo("abab");
		}
		finally {
			ownerToHub.unexposeService("extra@1.0.0").join();
		}
		assertThat(serverNode.localPeer().serviceNames()).doesNotContain("extra@1.0.0");
	}

	@Test
	void hubDropsServicesOfAnOwnerThatDisconnects() {
		RemotePeer ownerToHub = connect();
		ownerToHub.exposeService(new Extra()).join();
		assertThat(serverNode.localPeer().serviceNames()).contains("extra@1.0.0");
		ownerToHub.disconnect();
		await().atMost(Duration.ofSeconds(5)).until(() -> !serverNode.localPeer().serviceNames().contains("extra@1.0.0"));
	}

	@Test
	void emitTaskReturnsUndefinedAndSubscribeUnknownEventIsAccepted() {
		RemotePeer peer = connect();
		assertThat(peer.runTask("subscribe", "anything:at-all").join()).isSameAs(Undefined.INSTANCE);
		assertThat(peer.runTask("emit", "nothing-listens").join()).isSameAs(Undefined.INSTANCE);
	}

	@NetronService(value = "extra@1.0.0", expose = false)
	static class Extra {

		@Public
		public String ping() {
			return "extra-pong";
		}

		@Public
		public String twice(String text) {
			return text + text;
		}

	}

}
