package io.netron.benchmarks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import org.HdrHistogram.Histogram;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

/**
 * The raw echo of the load benchmark with Reactor Netty's WebSocket client instead of the JDK's:
 * the same frames against the same server endpoint, to compare client stacks
 * ({@code --client-stacks}). Every message is answered on Netty's event loop, as the JDK client's
 * raw echo answers on its selector thread.
 */
final class ReactorNettyEcho {

	private ReactorNettyEcho() {
	}

	/** {@return {@code long[]{messages answered, elapsed nanoseconds}} and the latency histogram} */
	static Object[] run(String uri, byte[] frame, int inFlight, Duration duration) throws Exception {
		Histogram latencies = new Histogram(1, TimeUnit.SECONDS.toMicros(60), 3);
		ArrayDeque<Long> sentAt = new ArrayDeque<>();
		long[] counts = new long[4];
		Sinks.Many<byte[]> outbound = Sinks.many().unicast().onBackpressureBuffer();
		CompletableFuture<Void> finished = new CompletableFuture<>();
		Disposable connection = HttpClient.create()
			.websocket()
			.uri(uri + "?id=reactor-raw")
			.handle((in, out) -> {
				Mono<Void> receiving = in.receiveFrames().doOnNext((reply) -> {
					long now = System.nanoTime();
					Long sent = sentAt.poll();
					if (sent != null) {
						latencies.recordValue(Math.max(1, (now - sent) / 1000));
					}
					counts[0]++;
					counts[2]--;
					if (now < counts[1]) {
						sentAt.add(now);
						counts[2]++;
						outbound.tryEmitNext(frame);
					}
					else if (counts[2] == 0) {
						finished.complete(null);
					}
				}).then();
				counts[3] = System.nanoTime();
				counts[1] = counts[3] + duration.toNanos();
				for (int i = 0; i < inFlight; i++) {
					sentAt.add(System.nanoTime());
					counts[2]++;
					outbound.tryEmitNext(frame);
				}
				Mono<Void> sending = out.sendObject(outbound.asFlux()
					.map((bytes) -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)))).then();
				return Mono.when(receiving, sending);
			})
			.subscribe();
		try {
			finished.get(duration.toSeconds() + 30, TimeUnit.SECONDS);
		}
		finally {
			connection.dispose();
		}
		return new Object[] { new long[] { counts[0], System.nanoTime() - counts[3] }, latencies };
	}

}
