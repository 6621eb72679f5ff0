package io.netron.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A bare WebSocket client for tests that play one side of the protocol by hand: every frame
 * received is queued (text as String, binary as byte[]), and the close code is recorded.
 */
public final class RawWebSocket implements WebSocket.Listener, AutoCloseable {

	public final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();

	public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final StringBuilder text = new StringBuilder();

	private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

	private final WebSocket socket;

	public RawWebSocket(String uri) {
		this(uri, java.util.Map.of());
	}

	/** A connection whose upgrade request carries the given headers (credentials, for one). */
	public RawWebSocket(String uri, java.util.Map<String, String> headers) {
		WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
		headers.forEach(builder::header);
		this.socket = builder.buildAsync(URI.create(uri), this).join();
	}

	public void send(byte[] frame) {
		this.socket.sendBinary(ByteBuffer.wrap(frame), true).join();
	}

	/** Sends a fragment of a binary message: the message ends with the part sent with {@code last}. */
	public void sendPart(byte[] part, boolean last) {
		this.socket.sendBinary(ByteBuffer.wrap(part), last).join();
	}

	public void sendText(String frame) {
		this.socket.sendText(frame, true).join();
	}

	/**
	 * The next frame, waiting at most 30 seconds: long enough that a slow or loaded machine does not
	 * fail a test (no test waits for a frame that must not come; a frame that never comes fails the
	 * test when it is found missing, only later).
	 */
	public @Nullable Object next() throws InterruptedException {
		return this.frames.poll(30, TimeUnit.SECONDS);
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.text.append(data);
		if (last) {
			this.frames.add(this.text.toString());
			this.text.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] chunk = new byte[data.remaining()];
		data.get(chunk);
		this.binary.writeBytes(chunk);
		if (last) {
			this.frames.add(this.binary.toByteArray());
			this.binary.reset();
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeCode.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closeCode.complete(1006);
	}

	@Override
	public void close() {
		this.socket.abort();
	}

	/** {@return the upgrade request of a client on a bare socket, as node {@code id}} */
	public static byte[] upgradeRequest(String id) {
		return ("GET /netron?id=" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nSec-WebSocket-Version: 13\r\n\r\n")
			.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
	}

	/**
	 * Upgrades a bare socket as a WebSocket client does: the request, then its answer read up to the
	 * blank line before any frame is sent (nothing after it is read), waiting at most 30 seconds for
	 * it when the socket has no read timeout of its own.
	 * @return the answer's status line and headers (empty or cut short if the node closed the socket)
	 */
	public static String upgrade(java.net.Socket socket, String id) throws java.io.IOException {
		socket.getOutputStream().write(upgradeRequest(id));
		int timeout = socket.getSoTimeout();
		socket.setSoTimeout((timeout != 0) ? timeout : 30_000);
		try {
			java.io.InputStream in = socket.getInputStream();
			StringBuilder answer = new StringBuilder();
			while (answer.indexOf("\r\n\r\n") < 0) {
				int next = in.read();
				if (next < 0) {
					break;
				}
				answer.append((char) next);
			}
			return answer.toString();
		}
		finally {
			socket.setSoTimeout(timeout);
		}
	}

	/** A client's binary frame, masked with the zero key (so the payload goes as it is). */
	public static byte[] maskedBinary(byte[] payload) {
		java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
		frame.write(0x82);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else if (payload.length <= 0xffff) {
			frame.write(0x80 | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xff);
		}
		else {
			frame.write(0x80 | 127);
			frame.writeBytes(java.nio.ByteBuffer.allocate(8).putLong(payload.length).array());
		}
		frame.writeBytes(new byte[4]);
		frame.writeBytes(payload);
		return frame.toByteArray();
	}

}
