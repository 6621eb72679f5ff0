package io.netron.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netron.NetronException;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.JsMap;
import io.netron.protocol.PacketType;
import io.netron.protocol.Undefined;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Calls, properties, errors and versions between a Spring Boot server node and a client node
 * over a real WebSocket on loopback.
 */
class PeerRpcTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	private static RemotePeer peer;

	private static CalculatorClient calculator;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { TestServices.Calculator.class, TestServices.CalculatorV15.class,
				TestServices.CalculatorV2.class, TestServices.Counter.class });
		peer = nodes.client().connect(TestNodes.url(server)).join();
		calculator = peer.queryInterface("calculator@1.0.0", CalculatorClient.class);
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@Test
	void callConvertsArgumentsAndResultsToDeclaredTypes() {
		assertThat(calculator.add(2147483647L, 1)).isEqualTo(2147483648L);
		assertThat(calculator.addTwice(21)).isEqualTo(42);
		assertThat(calculator.move(new TestServices.Point(1, 2), 5)).isEqualTo(new TestServices.Point(6, 2));
		assertThat(calculator.points(2)).containsExactly(new TestServices.Point(0, 0), new TestServices.Point(1, -1));
		assertThat(calculator.when(Instant.ofEpochMilli(1000))).isEqualTo(Instant.ofEpochMilli(2000));
	}

	@Test
	void echoReturnsJavaScriptValuesUnchanged() {
		JsMap map = new JsMap();
		map.put(1, "one");
		map.put("nested", List.of(Undefined.INSTANCE, 2.5));
		assertThat(calculator.echo(map)).isEqualTo(map).isInstanceOf(JsMap.class);
		assertThat(peer.queryInterface("calculator@1.0.0").call("echo", Undefined.INSTANCE).join())
			.isSameAs(Undefined.INSTANCE);
	}

	@Test
	void asyncVariantsCompleteOffTheTransportThread() throws Exception {
		assertThat(calculator.addAsync(1, 2).get(5, TimeUnit.SECONDS)).isEqualTo(3L);
		assertThat(calculator.plus(1, 2).get(5, TimeUnit.SECONDS)).isEqualTo(3);
		assertThat(calculator.slow("abc").get(5, TimeUnit.SECONDS)).isEqualTo("ABC");
		// slow() answers after 50 ms, so the callback is attached before the future completes and
		// runs on the completing thread
		String thread = calculator.slow("x").thenApply((ignored) -> Thread.currentThread().getName()).get(5,
				TimeUnit.SECONDS);
		assertThat(thread).startsWith("netron-worker-");
	}

	@Test
	void blockingServiceMethodsRunInParallel() {
		RemoteService service = peer.queryInterface("calculator@1.0.0");
		List<CompletableFuture<Object>> calls = new java.util.ArrayList<>();
		for (int i = 0; i < 16; i++) {
			calls.add(service.call("meet"));
		}
		for (CompletableFuture<Object> call : calls) {
			assertThat(call.join()).isEqualTo(true);
		}
	}

	@Test
	void propertiesAreReadAndWritten() {
		assertThat(calculator.version()).isEqualTo("1.0.0");
		calculator.counter(7);
		assertThat(calculator.counter()).isEqualTo(7);
		assertThat(server.getBean(TestServices.Calculator.class).counter).isEqualTo(7);
	}

	@Test
	void readonlyPropertyIsRefusedByTheCallerAndByTheServingNode() {
		assertThatExceptionOfType(NetronException.class).isThrownBy(() -> calculator.version("2.0.0"))
			.withMessage("Property is not writable: 'version' is marked as readonly");
		RemoteService service = peer.queryInterface("calculator@1.0.0");
		CompletableFuture<Object> raw = peer.sendRequest(PacketType.SET,
				new java.util.ArrayList<>(List.of(service.definition().id(), "version", "hacked")), "raw SET");
		assertThat(raw).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.remoteType()).isEqualTo(JsErrorType.TYPE_ERROR);
				assertThat(ex.remoteMessage()).isEqualTo("Property is not writable: 'version' is marked as readonly");
			});
		assertThat(server.getBean(TestServices.Calculator.class).version).isEqualTo("1.0.0");
	}

	@ParameterizedTest
	@ValueSource(strings = { "secret", "getClass", "wait", "hashCode", "toString", "notifyAll", "version", "noSuchMethod" })
	void nonPublicMethodsAreRefusedByTheServingNode(String method) {
		RemoteService service = peer.queryInterface("calculator@1.0.0");
		CompletableFuture<Object> raw = peer.sendRequest(PacketType.CALL,
				new java.util.ArrayList<>(List.of(service.definition().id(), method)), "raw CALL");
		assertThat(raw).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.remoteType()).isEqualTo(JsErrorType.TYPE_ERROR);
				assertThat(ex.remoteMessage()).isEqualTo("this.instance[method] is not a function");
			});
	}

	@Test
	void callerRefusesMembersTheDefinitionDoesNotListNamingTheServiceAndItsMembers() {
		RemoteService service = peer.queryInterface("calculator@1.0.0");
		String members = "(methods: " + String.join(", ", new java.util.TreeSet<>(service.metadata().methods().keySet()))
				+ "; properties: " + String.join(", ", new java.util.TreeSet<>(service.metadata().properties().keySet())) + ")";
		assertThatExceptionOfType(UnknownServiceException.class).isThrownBy(() -> calculator.secret())
			.withMessage("Unknown member: 'secret' is not defined in the service interface of calculator@1.0.0 " + members);
		assertThat(service.get("nope")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.withMessageContaining("Unknown member: 'nope' is not defined in the service interface of calculator@1.0.0 " + members);
	}

	@Test
	void aResultThatDoesNotConvertNamesTheMethodAndTheDeclaredType() {
		assertThatExceptionOfType(io.netron.protocol.ValueConversionException.class)
			.isThrownBy(() -> calculator.echoAsPoint("text"))
			.withMessageStartingWith("The result of calculator@1.0.0.echo (peer " + peer.id() + ") does not convert to "
					+ TestServices.Point.class.getTypeName() + ", the type CalculatorClient declares: ");
	}

	@Test
	void aPropertyCalledAsAMethodOrAMethodReadAsAPropertyIsToldSo() {
		RemoteService service = peer.queryInterface("calculator@1.0.0");
		String property = service.metadata().properties().keySet().iterator().next();
		assertThat(service.call(property)).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.withMessageContaining("Unknown member: '" + property + "' is a property of calculator@1.0.0, not a method: "
					+ "read it with get (on a @NetronClient interface, declare it with @NetronProperty)");
		assertThat(service.get("add")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.withMessageContaining("Unknown member: 'add' is a method of calculator@1.0.0, not a property: call it");
	}

	@Test
	void javaExceptionReachesTheCallerWithRemoteNameAndMessage() {
		assertThatExceptionOfType(RemoteInvocationException.class).isThrownBy(() -> calculator.fail("boom"))
			.satisfies((ex) -> {
				assertThat(ex.remoteName()).isEqualTo("IllegalStateException");
				assertThat(ex.remoteMessage()).isEqualTo("boom");
				assertThat(ex.remoteStack()).isEqualTo("IllegalStateException: boom");
				assertThat(ex).hasMessage("IllegalStateException: boom");
			});
	}

	@Test
	void javaScriptTypedErrorKeepsItsClassAndCustomFields() {
		assertThatExceptionOfType(RemoteInvocationException.class).isThrownBy(() -> calculator.failTyped("too big"))
			.satisfies((ex) -> {
				assertThat(ex.remoteType()).isEqualTo(JsErrorType.RANGE_ERROR);
				assertThat(ex.remoteName()).isEqualTo("RangeError");
				assertThat(ex.customFields()).containsExactly(Map.entry("code", "E_RANGE"), Map.entry("limit", 10));
			});
		assertThat(calculator.failAsync("late")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class,
					(ex) -> assertThat(ex.remoteType()).isEqualTo(JsErrorType.TYPE_ERROR));
	}

	@Test
	void wrongArgumentTypesAreRefusedNamingTheArgument() {
		RemoteService service = peer.queryInterface("calculator@1.0.0");
		assertThat(service.call("add", "two", 2)).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.remoteType()).isEqualTo(JsErrorType.TYPE_ERROR);
				assertThat(ex.remoteMessage()).isEqualTo(
						"Invalid argument 1 (a) of calculator@1.0.0.add: Cannot convert string to long");
			});
		assertThat(service.call("add", 1)).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(RemoteInvocationException.class)
			.withMessageContaining("Invalid call of calculator@1.0.0.add: expected 2 arguments, got 1");
		assertThat(service.call("add", 1, 2, 3)).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(RemoteInvocationException.class)
			.withMessageContaining("Invalid call of calculator@1.0.0.add: expected 2 arguments, got 3");
		// a trailing @Nullable parameter may be omitted, as JavaScript callers omit optional ones
		assertThat(service.call("echo").join()).isIn(null, io.netron.protocol.Undefined.INSTANCE);
	}

	@Test
	void bareNameResolvesToHighestVersionAndRangesToHighestMatch() {
		assertThat(peer.queryInterface("calculator").metadata().version()).isEqualTo("2.0.0");
		assertThat(peer.queryInterface("calculator@^1.2").metadata().version()).isEqualTo("1.5.0");
		assertThat(peer.queryInterface("calculator@~1.0").metadata().version()).isEqualTo("1.0.0");
		assertThat(peer.queryInterface("calculator@1.0.0").metadata().version()).isEqualTo("1.0.0");
		assertThat(peer.queryInterface("calculator@>=1.1 <2").call("whoami").join()).isEqualTo("calculator@1.5.0");
	}

	@ParameterizedTest
	@ValueSource(strings = { "calculator@3.0.0", "calculator@^3", "calc", "calculato.", "calc.*", "calculator@", "[" })
	void unknownServicesFailWithTheSeedMessageThenThePeerAndWhatItOffers(String name) {
		String offered = String.join(", ", new java.util.TreeSet<>(peer.serviceNames()));
		assertThatExceptionOfType(UnknownServiceException.class).isThrownBy(() -> peer.queryInterface(name))
			.withMessage("Unknown service: " + name + ". (" + peer.describe() + " offers " + offered + ")");
	}

}
