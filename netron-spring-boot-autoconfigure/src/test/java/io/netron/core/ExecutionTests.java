package io.netron.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netron.annotation.Execution;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Where service members run ({@link Execution}) and where callers' callbacks run, over real
 * connections: INLINE members on the thread that read the request, WORKER members on the node's
 * workers, a blocked worker never holding up the connection, and answer futures whose callbacks
 * stay off the I/O threads unless the node opted into direct callbacks.
 */
class ExecutionTests {

	private static final String WORKER = "netron-worker-";

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	private static ConfigurableApplicationContext other;

	private static RemoteService places;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { Places.class });
		other = nodes.server(new Class<?>[] { TestServices.Calculator.class }, "netron.id=calculator-node");
		TestNodes.netron(server).addTask("slowTask", (peer, args) -> CompletableFuture.supplyAsync(() -> "done",
				CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)));
		places = nodes.client().connect(TestNodes.url(server)).join().queryInterface("places@1.0.0");
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@Test
	void membersRunWhereTheyAreDeclaredToRun() {
		// Tomcat's thread that read the frame, with no hand-off
		assertThat(call("inline")).matches(TestNodes.IO_THREAD).doesNotStartWith(WORKER);
		// a method returning a future promises its answer for later: inline by convention
		assertThat(call("promised")).matches(TestNodes.IO_THREAD);
		// anything else may block: a worker
		assertThat(call("plain")).startsWith(WORKER);
		assertThat(call("promisedButBlocking")).startsWith(WORKER);
	}

	@Test
	void theDescriptorSaysWhichMembersRunInline() {
		ServiceDescriptor descriptor = ServiceDescriptor.forClass(Places.class);
		assertThat(descriptor.runsInline("inline")).isTrue();
		assertThat(descriptor.runsInline("promised")).isTrue();
		assertThat(descriptor.runsInline("plain")).isFalse();
		assertThat(descriptor.runsInline("promisedButBlocking")).isFalse();
		// a property read and written through its field alone cannot block; one with accessors may
		assertThat(descriptor.runsInline("field")).isTrue();
		assertThat(descriptor.runsInline("accessed")).isFalse();
		ServiceDescriptor allInline = ServiceDescriptor.forClass(AllInline.class);
		assertThat(allInline.runsInline("quick")).isTrue();
		assertThat(allInline.runsInline("accessed")).isTrue();
		assertThat(allInline.runsInline("slow")).as("a member's own setting wins").isFalse();
	}

	@Test
	void aBlockedWorkerMethodHoldsUpNothingElseOnItsConnection() throws Exception {
		Places bean = server.getBean(Places.class);
		CountDownLatch release = new CountDownLatch(1);
		bean.gate = release;
		CompletableFuture<Object> held = places.call("hold");
		try {
			assertThat(call("inline")).matches(TestNodes.IO_THREAD);
			assertThat(call("plain")).startsWith(WORKER);
			assertThat(held).isNotDone();
		}
		finally {
			release.countDown();
		}
		assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo("released");
	}

	@Test
	void aBlockingProxyCallFromAnInlineMemberFailsAtOnceInsteadOfDeadlocking() {
		Places bean = server.getBean(Places.class);
		bean.calculator = TestNodes.netron(server).connect(TestNodes.url(other)).join()
			.queryInterface("calculator@1.0.0", CalculatorClient.class);
		assertThat(places.call("addBlocking", 1, 2))
			.failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class,
					(ex) -> assertThat(ex.remoteMessage()).startsWith("Blocking call of calculator@1.0.0 on peer calculator-node.add"
							+ " refused: this thread serves an INLINE service member"));
		assertThat(places.call("addAsync", 1, 2)).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(3);
		// the request's context carried to another thread does not make that thread an I/O thread
		assertThat(places.call("addElsewhere", 1, 2)).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(3);
		assertThat(places.call("addOnWorker", 1, 2)).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(3);
	}

	@Test
	void callbacksOfAnswerFuturesRunOnWorkersWhileWaitersAreWokenDirectly() throws Exception {
		// slow answers after 50 ms: the callbacks are in place before the answer arrives
		String callback = places.call("slow").thenApply((ignored) -> Thread.currentThread().getName())
			.get(5, TimeUnit.SECONDS);
		assertThat(callback).startsWith(WORKER);
		String whenComplete = places.call("slow").handle((value, failure) -> Thread.currentThread().getName())
			.get(5, TimeUnit.SECONDS);
		assertThat(whenComplete).startsWith(WORKER);
		RemotePeer peer = places.peer();
		String task = peer.runTask("slowTask").thenApply((ignored) -> Thread.currentThread().getName())
			.get(5, TimeUnit.SECONDS);
		assertThat(task).startsWith(WORKER);
		// failures reach callbacks as a dependent stage of a failed future would see them
		Throwable failure = places.call("missing").handle((value, ex) -> ex).get(5, TimeUnit.SECONDS);
		assertThat(failure).isInstanceOf(java.util.concurrent.CompletionException.class)
			.cause()
			.isInstanceOf(UnknownServiceException.class);
		assertThat(places.call("slow").join()).isEqualTo("slow");
	}

	@Test
	void directCallbacksRunOnTheThreadThatReadTheAnswer() throws Exception {
		Netron direct = nodes.client(NetronOptions.defaults().withDirectCallbacks(true));
		RemoteService service = direct.connect(TestNodes.url(server)).join().queryInterface("places@1.0.0");
		String callback = service.call("slow").thenApply((ignored) -> Thread.currentThread().getName())
			.get(5, TimeUnit.SECONDS);
		assertThat(callback).doesNotStartWith(WORKER).matches(TestNodes.CLIENT_IO_THREAD);
	}

	@Test
	void withSpringBootsVirtualThreadsWorkerMembersRunOnVirtualThreadsFromJava21() throws Exception {
		ConfigurableApplicationContext virtual = nodes.server(new Class<?>[] { Places.class },
				"spring.threads.virtual.enabled=true", "netron.id=virtual-node");
		RemoteService service = nodes.client().connect(TestNodes.url(virtual)).join().queryInterface("places@1.0.0");
		String thread = (String) service.call("plain").get(5, TimeUnit.SECONDS);
		if (Runtime.version().feature() >= 21) {
			assertThat(thread).startsWith("netron-vworker-");
			// blocking members side by side beyond the thread pool's 64: each waits for all the others
			Places bean = virtual.getBean(Places.class);
			bean.meeting = new CountDownLatch(100);
			java.util.List<CompletableFuture<Object>> meetings = new java.util.ArrayList<>();
			for (int i = 0; i < 100; i++) {
				meetings.add(service.call("meet"));
			}
			for (CompletableFuture<Object> meeting : meetings) {
				assertThat(meeting).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
			}
		}
		else {
			// Java 17: the node logs that virtual threads need Java 21 and keeps its thread pool
			assertThat(thread).startsWith(WORKER);
		}
	}

	/** Calls a member of places@1.0.0 and answers the name of the thread that ran it. */
	private static String call(String member) {
		return (String) places.call(member).orTimeout(5, TimeUnit.SECONDS).join();
	}

	@NetronService("places@1.0.0")
	static class Places {

		@Public
		public int field;

		@Public
		private int accessed;

		volatile CountDownLatch gate = new CountDownLatch(0);

		volatile CalculatorClient calculator;

		volatile CountDownLatch meeting = new CountDownLatch(0);

		/** Returns true once as many calls as the latch counts are in this method at the same time. */
		@Public
		public boolean meet() throws InterruptedException {
			this.meeting.countDown();
			return this.meeting.await(10, TimeUnit.SECONDS);
		}

		public int getAccessed() {
			return this.accessed;
		}

		public void setAccessed(int accessed) {
			this.accessed = accessed;
		}

		@Public(execution = Execution.INLINE)
		public String inline() {
			return Thread.currentThread().getName();
		}

		@Public
		public CompletableFuture<String> promised() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@Public
		public String plain() {
			return Thread.currentThread().getName();
		}

		@Public(execution = Execution.WORKER)
		public CompletableFuture<String> promisedButBlocking() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@Public
		public String hold() throws InterruptedException {
			return this.gate.await(10, TimeUnit.SECONDS) ? "released" : "timed out";
		}

		@Public(execution = Execution.INLINE)
		public long addBlocking(long a, long b) {
			return this.calculator.add(a, b);
		}

		@Public
		public CompletableFuture<Long> addAsync(long a, long b) {
			return this.calculator.addAsync(a, b);
		}

		@Public
		public CompletableFuture<Long> addElsewhere(long a, long b) {
			return CompletableFuture.supplyAsync(() -> this.calculator.add(a, b),
					NetronContext.wrap(java.util.concurrent.ForkJoinPool.commonPool()));
		}

		@Public(execution = Execution.WORKER)
		public long addOnWorker(long a, long b) {
			return this.calculator.add(a, b);
		}

		@Public
		public CompletableFuture<String> slow() {
			return CompletableFuture.supplyAsync(() -> "slow", CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
		}

	}

	@NetronService(value = "allInline@1.0.0", execution = Execution.INLINE, expose = false)
	static class AllInline {

		@Public
		private int accessed;

		public int getAccessed() {
			return this.accessed;
		}

		@Public
		public String quick() {
			return "quick";
		}

		@Public(execution = Execution.WORKER)
		public String slow() {
			return "slow";
		}

	}

}
