package io.netron.core;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Signatures are checked when a service is exposed, not per call: parameter, result and property
 * types the codec cannot carry refuse the service (and the application's startup) naming the
 * member and the type; a service without a {@code @Public} member is warned about; a result known
 * only per value (an {@code Object}) that cannot be sent is logged on the serving node once per
 * member, besides the caller's error.
 */
@ExtendWith(OutputCaptureExtension.class)
class SignatureCheckTests {

	private final TestNodes nodes = new TestNodes();

	@AfterEach
	void stop() throws Exception {
		this.nodes.close();
	}

	@Test
	void typesTheCodecCannotCarryAreRefusedNamingTheMemberAndTheType() {
		assertThatExceptionOfType(InvalidServiceException.class).isThrownBy(() -> ServiceDescriptor.forClass(TakesThread.class))
			.withMessage("@Public method threads@1.0.0.run takes a java.lang.Thread as argument 2, which Netron cannot carry: "
					+ "a Thread is not data: it cannot be sent to or received from a peer");
		assertThatExceptionOfType(InvalidServiceException.class).isThrownBy(() -> ServiceDescriptor.forClass(OpensStreams.class))
			.withMessage("@Public method files@1.0.0.open returns a java.io.InputStream, which Netron cannot carry: "
					+ "a InputStream is not data: it cannot be sent to or received from a peer");
		assertThatExceptionOfType(InvalidServiceException.class).isThrownBy(() -> ServiceDescriptor.forClass(TakesFunctions.class))
			.withMessageStartingWith("@Public method functions@1.0.0.apply takes a "
					+ "java.util.List<java.util.function.Function<java.lang.String, java.lang.String>> as argument 1, which "
					+ "Netron cannot carry: a function cannot be sent");
		assertThatExceptionOfType(InvalidServiceException.class).isThrownBy(() -> ServiceDescriptor.forClass(ReturnsUri.class))
			.withMessageStartingWith("@Public method links@1.0.0.home returns a "
					+ "java.util.concurrent.CompletableFuture<java.net.URI>, which Netron cannot carry: the codec does not write it");
		assertThatExceptionOfType(InvalidServiceException.class).isThrownBy(() -> ServiceDescriptor.forClass(ThreadProperty.class))
			.withMessageStartingWith("@Public property worker@1.0.0.thread is a java.lang.Thread, which Netron cannot carry");
		// what the codec carries passes: a URI argument is read from its text, streams go as Netron streams
		assertThat(ServiceDescriptor.forClass(Carried.class).metadata().methods()).containsOnlyKeys("parse", "lines", "any");
	}

	@Test
	void anApplicationWithSuchAServiceDoesNotStart() {
		Throwable failure = catchThrowable(() -> this.nodes.server(new Class<?>[] { TakesThread.class }));
		assertThat(failure).hasStackTraceContaining("@Public method threads@1.0.0.run takes a java.lang.Thread as argument 2");
	}

	@Test
	void aServiceWithoutPublicMembersIsWarnedAbout(CapturedOutput output) {
		ServiceDescriptor.forClass(NothingPublic.class);
		assertThat(output).contains("Netron service silent@1.0.0 (" + NothingPublic.class.getName()
				+ ") has no @Public member: peers can find it but call nothing on it");
	}

	@Test
	void anObjectResultThatCannotBeSentIsLoggedOncePerMemberOnTheServingNode(CapturedOutput output) {
		ConfigurableApplicationContext server = this.nodes.server(new Class<?>[] { Carried.class });
		RemotePeer peer = this.nodes.client().connect(TestNodes.url(server)).join();
		for (int i = 0; i < 3; i++) {
			assertThat(peer.queryInterface("carried@1.0.0").call("any")).failsWithin(Duration.ofSeconds(5))
				.withThrowableThat()
				.withMessageContaining("Not supported: java.lang.Thread");
		}
		String line = "The result of carried@1.0.0.any cannot be sent to its caller: Not supported: java.lang.Thread";
		assertThat(output.getOut().split(java.util.regex.Pattern.quote(line), -1)).hasSize(2);
	}

	@NetronService("threads@1.0.0")
	static class TakesThread {

		@Public
		public void run(String name, Thread thread) {
		}

	}

	@NetronService("files@1.0.0")
	static class OpensStreams {

		@Public
		public InputStream open(String path) {
			return InputStream.nullInputStream();
		}

	}

	@NetronService("functions@1.0.0")
	static class TakesFunctions {

		@Public
		public int apply(List<Function<String, String>> functions) {
			return functions.size();
		}

	}

	@NetronService("links@1.0.0")
	static class ReturnsUri {

		@Public
		public CompletableFuture<URI> home() {
			return CompletableFuture.completedFuture(URI.create("https://example.org"));
		}

	}

	@NetronService("worker@1.0.0")
	static class ThreadProperty {

		@Public
		public Thread thread;

	}

	@NetronService("silent@1.0.0")
	static class NothingPublic {

		public int notExposed() {
			return 0;
		}

	}

	@NetronService("carried@1.0.0")
	public static class Carried {

		@Public
		public Map<String, Object> parse(URI uri) {
			return Map.of("host", uri.getHost());
		}

		@Public
		public java.util.stream.Stream<String> lines(int count) {
			return java.util.stream.IntStream.range(0, count).mapToObj(Integer::toString);
		}

		@Public
		public Object any() {
			return Thread.currentThread();
		}

	}

}
