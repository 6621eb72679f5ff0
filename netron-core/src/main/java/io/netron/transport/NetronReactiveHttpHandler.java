package io.netron.transport;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;

/**
 * The HTTP transport of the Titan generation on Spring WebFlux ({@code POST <path>/invoke},
 * {@code /batch}, {@code /authenticate}, {@code GET <path>/openapi.json}), behind the
 * application's {@code SecurityWebFilterChain}: the body is gathered (no more than the largest
 * body allowed, plus one byte to tell it went past), and the request is handed to the
 * {@link NetronHttpService} on Reactor's bounded elastic scheduler, for a call waits for its
 * answer and Netty's event loop may not. Cross-origin requests are answered here too, from
 * {@code netron.http.cors.*}: preflights by the handler mapping, and a refused request (403) here,
 * once its body was read.
 */
public class NetronReactiveHttpHandler implements WebHandler, CorsConfigurationSource {

	private final NetronHttpService service;

	private final @Nullable CorsConfiguration cors;

	private final DefaultCorsProcessor corsProcessor = new DefaultCorsProcessor();

	/**
	 * A handler of a service, without CORS processing.
	 * @param service serves the requests
	 */
	public NetronReactiveHttpHandler(NetronHttpService service) {
		this(service, null);
	}

	/**
	 * A handler of a service.
	 * @param service serves the requests
	 * @param cors which cross-origin requests it answers (preflights included), {@code null} to leave
	 * CORS to the application
	 */
	public NetronReactiveHttpHandler(NetronHttpService service, @Nullable CorsConfiguration cors) {
		this.service = service;
		this.cors = cors;
	}

	/**
	 * Preflights are answered by the handler mapping, with this configuration; actual requests get
	 * none there, and are checked by {@link #handle}, which reads a refused request's body.
	 */
	@Override
	public @Nullable CorsConfiguration getCorsConfiguration(ServerWebExchange exchange) {
		return CorsUtils.isPreFlightRequest(exchange.getRequest()) ? this.cors : null;
	}

	/** {@return the service that serves the requests} */
	public NetronHttpService service() {
		return this.service;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		if (this.cors != null && CorsUtils.isCorsRequest(request) && !this.corsProcessor.process(this.cors, exchange)) {
			// refused (403) once the body was read, so that the connection a client may send its next
			// request on holds nothing of this one
			return request.getBody().doOnNext(DataBufferUtils::release).then(exchange.getResponse().setComplete());
		}
		int keep = this.service.maxBodySize() + 1;
		Mono<BodyParts> body = request.getBody().collect(BodyParts::new, (parts, buffer) -> parts.add(buffer, keep));
		return Mono.zip(body, exchange.getPrincipal().map(Optional::of).defaultIfEmpty(Optional.empty()))
			.publishOn(Schedulers.boundedElastic())
			.map((read) -> {
				List<InputStream> streams = new ArrayList<>();
				read.getT1().parts.forEach((part) -> streams.add(new ByteArrayInputStream(part)));
				MediaType contentType = request.getHeaders().getContentType();
				try {
					return this.service.handle(new NetronHttpService.Request(request.getMethod().name(),
							request.getPath().value(), (contentType != null) ? contentType.toString() : null,
							request.getHeaders().getContentLength(), new SequenceInputStream(Collections.enumeration(streams)),
							read.getT2().orElse(null), NetronConnectionGuard.address(request.getRemoteAddress())));
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			})
			.flatMap((answer) -> {
				ServerHttpResponse response = exchange.getResponse();
				response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
				answer.headers().forEach((name, value) -> response.getHeaders().set(name, value));
				response.getHeaders().setContentLength(answer.body().length);
				DataBuffer buffer = response.bufferFactory().wrap(answer.body());
				return response.writeWith(Mono.just(buffer)).doFinally((signal) -> answer.close());
			});
	}

	/**
	 * A request body as it came, copied up to one byte past the maximum (the service answers 413
	 * from that), each buffer released once copied.
	 */
	private static final class BodyParts {

		private final List<byte[]> parts = new ArrayList<>();

		private int held;

		void add(DataBuffer buffer, int keep) {
			try {
				int take = Math.min(buffer.readableByteCount(), Math.max(0, keep - this.held));
				if (take > 0) {
					byte[] part = new byte[take];
					buffer.read(part);
					this.parts.add(part);
					this.held += take;
				}
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}

	}

}
