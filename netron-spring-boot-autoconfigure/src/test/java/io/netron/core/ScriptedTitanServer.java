package io.netron.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netron.protocol.Definition;
import io.netron.protocol.HandshakeFrame;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketFlags;
import io.netron.protocol.PacketType;
import io.netron.protocol.ServiceMetadata;
import io.netron.protocol.StreamReference;
import io.netron.protocol.TitanError;
import io.netron.protocol.Undefined;
import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * A server at {@code /titan} (on Spring WebSocket or on Spring WebFlux, whichever stack the
 * application runs) that answers as the Titan node of {@code wire-vectors/titan} did:
 * its binary id frame 10 ms after the upgrade, then nothing until a {@code client-id} frame,
 * then the captured replies (the definition of {@code conformance@1.0.0}, its errors) and
 * replies made the way Titan makes them (stream chunks flagged {@code 0x65}/{@code 0x75},
 * {@code STREAM_CLOSE}, pongs). It records what clients sent, so tests can check the client.
 */
final class ScriptedTitanServer {

	static final String SERVER_ID = "titan-server-one";

	static final String DEF_ID = "01a244e1-7cbd-757b-b2fc-0128ee5d5662";

	static final String EXTRA_DEF_ID = "01a244e1-7cbd-757b-b2fc-0128ee5d0002";

	private static final HexFormat HEX = HexFormat.of();

	/** One client's connection, on either stack. */
	interface Link {

		String id();

		@Nullable String query();

		void send(byte[] frame);

		/** Closes with 1008 (policy violation). */
		void refuse();

	}

	private final PacketCodec codec = new PacketCodec();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private final Map<String, String> captured = new LinkedHashMap<>();

	/** The first frame of every connection, as {@code text:...} or {@code binary:...}. */
	final List<String> firstFrames = new CopyOnWriteArrayList<>();

	/** Every packet clients sent after their handshake. */
	final List<Packet> received = new CopyOnWriteArrayList<>();

	/** Query strings of the upgrades. */
	final List<String> queries = new CopyOnWriteArrayList<>();

	private final Map<String, String> clientIds = new ConcurrentHashMap<>();

	private final AtomicLong packetIds = new AtomicLong(30);

	ScriptedTitanServer() throws IOException {
		try (InputStream in = ScriptedTitanServer.class.getResourceAsStream("/titan/frames.json")) {
			for (JsonNode exchange : new ObjectMapper().readTree(in).get("exchanges")) {
				JsonNode frames = exchange.get("frames");
				for (int i = 0; i < frames.size(); i++) {
					this.captured.put(exchange.get("name").asText() + " #" + i, frames.get(i).get("hex").asText());
				}
			}
		}
	}

	void opened(Link link) {
		this.queries.add(String.valueOf(link.query()));
		// Titan sends its id, as a binary frame of JSON, about 10 ms after the upgrade
		this.timer.schedule(() -> send(link, HEX.parseHex(this.captured.get("handshake, Titan client #0"))), 10,
				TimeUnit.MILLISECONDS);
	}

	void onText(Link link, String text) {
		if (!this.clientIds.containsKey(link.id())) {
			this.firstFrames.add("text:" + text);
			handshake(link, text);
		}
	}

	void onBinary(Link link, byte[] frame) {
		if (!this.clientIds.containsKey(link.id())) {
			this.firstFrames.add("binary:" + new String(frame, StandardCharsets.UTF_8));
			handshake(link, new String(frame, StandardCharsets.UTF_8));
			return;
		}
		Packet packet = this.codec.decode(frame, true);
		this.received.add(packet);
		answer(link, packet);
	}

	private void handshake(Link link, String text) {
		HandshakeFrame frame = HandshakeFrame.parse(text);
		if (!frame.isClientId()) {
			link.refuse();
			return;
		}
		this.clientIds.put(link.id(), frame.id());
	}

	private void answer(Link session, Packet request) {
		List<?> data = (request.data() instanceof List<?> list) ? list : List.of();
		switch (request.type()) {
			case PING -> reply(session, new Packet(request.id(), 0, request.data(), 0, 0));
			case TASK -> task(session, request, (String) data.get(0), data);
			case GET -> reply(session, Packet.response(request.id(), PacketType.GET, "1.0.0"));
			case CALL -> call(session, request, (String) data.get(0), (String) data.get(1), data.subList(2, data.size()));
			default -> {
				// STREAM, STREAM_ERROR, STREAM_CLOSE: nothing to answer
			}
		}
	}

	private void task(Link session, Packet request, String name, List<?> data) {
		switch (name) {
			case "query_interface" -> {
				String service = (String) data.get(1);
				if (service.equals("conformance@1.0.0") || service.equals("conformance")) {
					replyCaptured(session, request, "query_interface, exact name@version #1");
				}
				else if (service.equals("extrasvc@1.0.0") || service.equals("extrasvc")) {
					Map<String, ServiceMetadata.MethodInfo> methods = new LinkedHashMap<>();
					methods.put("titanFail", new ServiceMetadata.MethodInfo("Promise", List.of("String")));
					methods.put("failingStream", new ServiceMetadata.MethodInfo("Object", List.of("Number")));
					reply(session, Packet.response(request.id(), PacketType.TASK, new Definition(EXTRA_DEF_ID, "", SERVER_ID,
							new ServiceMetadata("extrasvc", "1.0.0", Map.of(), methods))));
				}
				else {
					Map<String, @Nullable Object> details = new LinkedHashMap<>();
					details.put("serviceName", service);
					reply(session, Packet.errorResponse(request.id(), PacketType.TASK,
							TitanError.of(404, "Service '" + service + "' not found", details)));
				}
			}
			case "abilities" -> replyCaptured(session, request, "abilities refused #1");
			default -> reply(session, Packet.response(request.id(), PacketType.TASK, Undefined.INSTANCE));
		}
	}

	private void call(Link session, Packet request, String service, String method, List<?> args) {
		switch (method) {
			case "echo" -> reply(session, Packet.response(request.id(), PacketType.CALL, args.get(0)));
			case "add" -> reply(session, Packet.response(request.id(), PacketType.CALL,
					((Number) args.get(0)).doubleValue() + ((Number) args.get(1)).doubleValue()));
			case "fail" -> replyCaptured(session, request, "plain Error reply (ext 126) #1");
			case "titanFail" -> replyCaptured(session, request, "TitanError reply (ext 110) #1");
			case "numbers", "failingStream" -> {
				long streamId = this.packetIds.incrementAndGet();
				String clientId = this.clientIds.get(session.id());
				reply(session, Packet.response(request.id(), PacketType.CALL,
						new StreamReference(streamId, StreamReference.StreamType.WRITABLE, true, clientId)));
				int count = method.equals("numbers") ? ((Number) args.get(0)).intValue() : 1;
				for (int i = 0; i < count; i++) {
					reply(session, new Packet(this.packetIds.incrementAndGet(),
							PacketFlags.IMPULSE | PacketFlags.LIVE | PacketType.STREAM.wireValue(), i, streamId, i));
				}
				if (method.equals("numbers")) {
					reply(session, new Packet(this.packetIds.incrementAndGet(), PacketFlags.IMPULSE | PacketFlags.LIVE
							| PacketFlags.END_OF_STREAM | PacketType.STREAM.wireValue(), null, streamId, count));
				}
				else {
					Map<String, Object> close = new LinkedHashMap<>();
					close.put("streamId", streamId);
					close.put("reason", "stream boom");
					reply(session, Packet.request(this.packetIds.incrementAndGet(), PacketType.STREAM_CLOSE, close));
				}
			}
			default -> {
				Map<String, @Nullable Object> details = new LinkedHashMap<>();
				details.put("resource", "Method");
				details.put("id", method);
				reply(session, Packet.errorResponse(request.id(), PacketType.CALL,
						TitanError.of(404, "Method with id " + method + " not found", details)));
			}
		}
	}

	/** A captured reply with the request's id in place of the captured one. */
	private void replyCaptured(Link session, Packet request, String frame) {
		byte[] bytes = HEX.parseHex(this.captured.get(frame));
		ByteBuffer.wrap(bytes).putInt(0, (int) request.id());
		send(session, bytes);
	}

	private void reply(Link session, Packet packet) {
		send(session, this.codec.encode(packet));
	}

	private synchronized void send(Link link, byte[] frame) {
		link.send(frame);
	}

	/** Serves the script at {@code /titan}, on the application's web stack. */
	@Configuration(proxyBeanMethods = false)
	static class Endpoint {

		@Bean
		ScriptedTitanServer scriptedTitanServer() throws IOException {
			return new ScriptedTitanServer();
		}

		/* the stack's own endpoint: one of the two below */

		/** On Spring WebSocket (the servlet stack). */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		@EnableWebSocket
		static class ServletEndpoint {

			@Bean
			WebSocketConfigurer scriptedTitanEndpoint(ScriptedTitanServer server) {
				Map<String, Link> links = new ConcurrentHashMap<>();
				AbstractWebSocketHandler handler = new AbstractWebSocketHandler() {

					@Override
					public void afterConnectionEstablished(WebSocketSession session) {
						Link link = new Link() {

							@Override
							public String id() {
								return session.getId();
							}

							@Override
							public @Nullable String query() {
								return session.getUri().getQuery();
							}

							@Override
							public void send(byte[] frame) {
								try {
									if (session.isOpen()) {
										session.sendMessage(new BinaryMessage(frame));
									}
								}
								catch (IOException ex) {
									// the client went away
								}
							}

							@Override
							public void refuse() {
								try {
									session.close(org.springframework.web.socket.CloseStatus.POLICY_VIOLATION);
								}
								catch (IOException ex) {
									// the client went away
								}
							}

						};
						links.put(session.getId(), link);
						server.opened(link);
					}

					@Override
					protected void handleTextMessage(WebSocketSession session, TextMessage message) {
						server.onText(links.get(session.getId()), message.getPayload());
					}

					@Override
					protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
						ByteBuffer payload = message.getPayload();
						byte[] frame = new byte[payload.remaining()];
						payload.get(frame);
						server.onBinary(links.get(session.getId()), frame);
					}

					@Override
					public void afterConnectionClosed(WebSocketSession session, org.springframework.web.socket.CloseStatus status) {
						links.remove(session.getId());
					}

				};
				return (registry) -> registry.addHandler(handler, "/titan");
			}

		}

		/** On Spring WebFlux (Reactor Netty). */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		static class ReactiveEndpoint {

			@Bean
			HandlerMapping scriptedTitanEndpoint(ScriptedTitanServer server) {
				org.springframework.web.reactive.socket.WebSocketHandler handler = (session) -> {
					Sinks.Many<byte[]> outbound = Sinks.many().unicast().onBackpressureBuffer();
					Link link = new Link() {

						@Override
						public String id() {
							return session.getId();
						}

						@Override
						public @Nullable String query() {
							return session.getHandshakeInfo().getUri().getQuery();
						}

						@Override
						public void send(byte[] frame) {
							// called under the script's lock: one emitter at a time
							outbound.tryEmitNext(frame);
						}

						@Override
						public void refuse() {
							session.close(org.springframework.web.reactive.socket.CloseStatus.POLICY_VIOLATION).subscribe();
						}

					};
					server.opened(link);
					Mono<Void> in = session.receive().doOnNext((message) -> {
						if (message.getType() == org.springframework.web.reactive.socket.WebSocketMessage.Type.TEXT) {
							server.onText(link, message.getPayloadAsText());
						}
						else if (message.getType() == org.springframework.web.reactive.socket.WebSocketMessage.Type.BINARY) {
							byte[] frame = new byte[message.getPayload().readableByteCount()];
							message.getPayload().read(frame);
							server.onBinary(link, frame);
						}
					}).doFinally((signal) -> outbound.tryEmitComplete()).then();
					Mono<Void> out = session.send(outbound.asFlux()
						.map((frame) -> session.binaryMessage((factory) -> factory.wrap(frame))));
					return Mono.zip(in, out).then();
				};
				return new SimpleUrlHandlerMapping(Map.of("/titan", handler), -1);
			}

		}

	}

}
