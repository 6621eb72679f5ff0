package io.netron.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.netron.protocol.PacketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * Binding a request's {@link NetronContext} to threads: binders run in order and unwind in
 * reverse, the previous binding comes back, and {@code wrap} carries the context to other threads.
 */
class NetronContextTests {

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	@AfterEach
	void stop() {
		this.executor.shutdownNow();
	}

	private static NetronContext context(String peer, List<NetronContextBinder> binders) {
		return new NetronContext(peer, "/127.0.0.1:5000", () -> "alice", PacketType.CALL, "vault@1.0.0", "secret", binders);
	}

	@Test
	void aContextIsBoundForItsScopeOnly() {
		assertThat(NetronContext.find()).isEmpty();
		assertThatIllegalStateException().isThrownBy(NetronContext::current).withMessageContaining("No Netron request");
		NetronContext outer = context("outer", List.of());
		try (NetronContext.Scope first = outer.open()) {
			try (NetronContext.Scope second = context("inner", List.of()).open()) {
				assertThat(NetronContext.current().peerId()).isEqualTo("inner");
			}
			assertThat(NetronContext.current()).isSameAs(outer);
			assertThat(outer.describeMember()).isEqualTo("vault@1.0.0.secret");
			assertThat(outer.principalName()).isEqualTo("alice");
		}
		assertThat(NetronContext.find()).isEmpty();
	}

	@Test
	void bindersRunInOrderAndUnwindInReverseEvenWhenOneFails() {
		List<String> log = new ArrayList<>();
		NetronContextBinder a = (context) -> {
			log.add("bind a");
			return () -> log.add("unbind a");
		};
		NetronContextBinder b = (context) -> {
			log.add("bind b");
			return () -> log.add("unbind b");
		};
		try (NetronContext.Scope scope = context("p", List.of(a, b)).open()) {
			log.add("work");
		}
		assertThat(log).containsExactly("bind a", "bind b", "work", "unbind b", "unbind a");
		log.clear();
		NetronContextBinder failing = (context) -> {
			throw new IllegalStateException("cannot bind");
		};
		assertThatRuntimeException().isThrownBy(() -> context("p", List.of(a, failing)).open()).withMessage("cannot bind");
		assertThat(log).containsExactly("bind a", "unbind a");
		assertThat(NetronContext.find()).isEmpty();
	}

	@Test
	void wrapCarriesTheContextToAnotherThreadAndTakesItAwayAfter() throws Exception {
		assertThat(NetronContext.wrap(this.executor)).isSameAs(this.executor);
		try (NetronContext.Scope scope = context("caller", List.of()).open()) {
			CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> NetronContext.current().peerId(),
					NetronContext.wrap(this.executor));
			assertThat(seen.get()).isEqualTo("caller");
			assertThat(this.executor.submit(NetronContext.wrap(() -> NetronContext.current().peerId())).get())
				.isEqualTo("caller");
		}
		assertThat(this.executor.submit(() -> NetronContext.find().isPresent()).get()).isFalse();
	}

}
