package io.netron.core;

import java.time.Duration;

import io.netron.NetronException;
import io.netron.protocol.Definition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Services returned by reference: definitions with parentId, proxies, references passed back,
 * reference-counted release and its cascade.
 */
class SubServiceTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	private static RemotePeer peer;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { TestServices.Calculator.class });
		peer = nodes.client().connect(TestNodes.url(server)).join();
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	private static LocalPeer serving() {
		return TestNodes.netron(server).localPeer();
	}

	@Test
	void sameInstanceYieldsSameDefinitionWithParentId() {
		RemoteService calculator = peer.queryInterface("calculator@1.0.0");
		RemoteService first = (RemoteService) calculator.call("counterService").join();
		RemoteService second = (RemoteService) calculator.call("counterService").join();
		Definition definition = first.definition();
		assertThat(second).isSameAs(first);
		assertThat(definition.parentId()).isEqualTo(calculator.definition().id());
		assertThat(definition.meta().qualifiedName()).isEqualTo("counter@1.0.0");
		assertThat(definition.peerId()).isEqualTo(TestNodes.netron(server).id());
		peer.releaseInterface(first).join();
		peer.releaseInterface(second).join();
	}

	@Test
	void typedSubServiceProxyCallsTheInstance() {
		CalculatorClient calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
		CalculatorClient.CounterClient counter = calculator.newCounter();
		assertThat(counter.increment()).isEqualTo(1);
		assertThat(counter.increment()).isEqualTo(2);
		assertThat(counter.value()).isEqualTo(2);
		peer.releaseInterface(counter).join();
	}

	@Test
	void proxyPassedBackTravelsAsReferenceAndResolvesOnTheOwner() {
		CalculatorClient calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
		CalculatorClient.CounterClient counter = calculator.newCounter();
		counter.increment();
		counter.increment();
		counter.increment();
		assertThat(calculator.readCounter(counter)).isEqualTo(3);
		peer.releaseInterface(counter).join();
	}

	@Test
	void releasingTheLastReferenceUnrefsTheStubOnTheServingNode() {
		RemoteService calculator = peer.queryInterface("calculator@1.0.0");
		RemoteService counter = (RemoteService) calculator.call("newCounter").join();
		String defId = counter.definition().id();
		assertThat(serving().hasDefinition(defId)).isTrue();
		peer.releaseInterface(counter).join();
		await().atMost(Duration.ofSeconds(5)).until(() -> !serving().hasDefinition(defId));
		assertThat(counter.isReleased()).isTrue();
		assertThat(counter.call("increment")).failsWithin(Duration.ofSeconds(1))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(NetronException.class)
			.withMessageStartingWith("Invalid interface");
		assertThatExceptionOfType(NetronException.class).isThrownBy(() -> peer.releaseInterface(counter))
			.withMessage("Invalid interface");
	}

	@Test
	void referenceCountKeepsTheStubUntilTheLastRelease() {
		RemoteService calculator = peer.queryInterface("calculator@1.0.0");
		RemoteService first = (RemoteService) calculator.call("counterService").join();
		RemoteService second = (RemoteService) calculator.call("counterService").join();
		String defId = first.definition().id();
		peer.releaseInterface(first).join();
		assertThat(second.isReleased()).isFalse();
		assertThat(second.call("increment").join()).isInstanceOf(Integer.class);
		assertThat(serving().hasDefinition(defId)).isTrue();
		peer.releaseInterface(second).join();
		await().atMost(Duration.ofSeconds(5)).until(() -> !serving().hasDefinition(defId));
	}

	@Test
	void releaseCascadesToChildren() {
		RemoteService calculator = peer.queryInterface("calculator@1.0.0");
		RemoteService parent = (RemoteService) calculator.call("newCounter").join();
		RemoteService child = (RemoteService) parent.call("nested").join();
		assertThat(child.definition().parentId()).isEqualTo(parent.definition().id());
		String childId = child.definition().id();
		peer.releaseInterface(parent).join();
		assertThat(child.isReleased()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> !serving().hasDefinition(childId));
	}

	@Test
	void topLevelServiceSurvivesReleaseOfItsReferences() {
		RemoteService calculator = peer.queryInterface("calculator@1.0.0");
		String defId = calculator.definition().id();
		peer.releaseInterface(calculator).join();
		assertThat(serving().hasDefinition(defId)).isTrue();
		assertThat(peer.queryInterface("calculator@1.0.0").call("add", 1, 2).join()).isEqualTo(3);
	}

	@Test
	void disconnectingPeerDropsTheSubServicesItHeld() {
		Netron other = nodes.client();
		RemotePeer otherPeer = other.connect(TestNodes.url(server)).join();
		RemoteService counter = (RemoteService) otherPeer.queryInterface("calculator@1.0.0").call("newCounter").join();
		String defId = counter.definition().id();
		assertThat(serving().hasDefinition(defId)).isTrue();
		otherPeer.disconnect();
		await().atMost(Duration.ofSeconds(5)).until(() -> !serving().hasDefinition(defId));
	}

	interface ClosingCalculator {

		ClosingCounter newCounter();

		interface ClosingCounter extends AutoCloseable {

			int increment();

			@Override
			void close();

		}

	}

	@Test
	void aProxyWhoseInterfaceIsAutoCloseableReleasesItsSubServiceOnClose() {
		ClosingCalculator calculator = peer.queryInterface("calculator@1.0.0", ClosingCalculator.class);
		String defId;
		try (ClosingCalculator.ClosingCounter counter = calculator.newCounter()) {
			assertThat(counter.increment()).isEqualTo(1);
			defId = ((NetronProxy) counter).remoteService().definition().id();
			assertThat(serving().hasDefinition(defId)).isTrue();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> !serving().hasDefinition(defId));
	}

	@Test
	void oneLineReleasesAnySubServiceProxy() {
		CalculatorClient calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
		CalculatorClient.CounterClient counter = calculator.newCounter();
		String defId = ((NetronProxy) counter).remoteService().definition().id();
		NetronProxy.release(counter);
		await().atMost(Duration.ofSeconds(5)).until(() -> !serving().hasDefinition(defId));
		assertThatExceptionOfType(NetronException.class).isThrownBy(() -> NetronProxy.release("not a service"))
			.withMessageStartingWith("Invalid interface");
	}

}
