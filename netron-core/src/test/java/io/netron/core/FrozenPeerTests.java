package io.netron.core;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netron.protocol.JsMap;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import io.netron.transport.JdkWebSocketConnector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A peer that freezes after the handshake (a hung process, a dead network path that keeps the
 * TCP connection up): it answers nothing, not even pings. The client's keepalive finds it out
 * after the idle timeout and fails the call waiting on it, instead of leaving it for the request
 * timeout. The frozen server is a bare socket speaking just enough WebSocket by hand.
 */
class FrozenPeerTests {

	private static final PacketCodec codec = new PacketCodec();

	@Test
	void aCallToAPeerThatFrozeFailsAfterTheIdleTimeoutNotTheRequestTimeout() throws Exception {
		List<Integer> opcodes = new CopyOnWriteArrayList<>();
		try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
			Thread frozen = new Thread(() -> serveThenFreeze(server, opcodes), "frozen-peer");
			frozen.setDaemon(true);
			frozen.start();
			NetronOptions options = NetronOptions.defaults()
				.withRequestTimeout(Duration.ofSeconds(60))
				.withReconnect(new NetronOptions.Reconnect(false, Duration.ofSeconds(1), Duration.ofSeconds(30), 0))
				.withLimits(new ConnectionLimits(16, 0, 16, Duration.ofMillis(200), Duration.ofMillis(900)));
			try (Netron client = new Netron(options, new JdkWebSocketConnector(1 << 20, 1 << 20))) {
				RemotePeer peer = client.connect("ws://127.0.0.1:" + server.getLocalPort() + "/netron").get(5, TimeUnit.SECONDS);
				long start = System.nanoTime();
				ExecutionException failure = catchThrowableOfType(ExecutionException.class,
						() -> peer.runTask("anything").get(10, TimeUnit.SECONDS));
				assertThat(failure.getCause()).isInstanceOf(PeerDisconnectedException.class)
					.hasMessageContaining("idle timeout: nothing received for");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
				assertThat(opcodes).as("the client pinged before giving up").contains(0x9);
			}
		}
	}

	/**
	 * A server that upgrades and sends its id but never answers the abilities exchange: connecting
	 * is bounded by the connect timeout, whole (the request timeout, shorter here, used to cut it
	 * with "no answer to TASK task abilities"), and the failure says which step and which setting.
	 */
	@Test
	void aHandshakeLeftUnansweredFailsOnTheConnectTimeoutNamingTheStep() throws Exception {
		List<Integer> opcodes = new CopyOnWriteArrayList<>();
		try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
			Thread silent = new Thread(() -> {
				try (Socket socket = server.accept()) {
					upgradeAndSendId(socket);
					DataInputStream frames = new DataInputStream(socket.getInputStream());
					while (true) {
						readFrame(frames, opcodes);
					}
				}
				catch (Exception ex) {
					// the client gave up and closed
				}
			}, "silent-peer");
			silent.setDaemon(true);
			silent.start();
			NetronOptions options = NetronOptions.defaults()
				.withRequestTimeout(Duration.ofMillis(300))
				.withConnectTimeout(Duration.ofMillis(1500))
				.withReconnect(new NetronOptions.Reconnect(false, Duration.ofSeconds(1), Duration.ofSeconds(30), 0));
			try (Netron client = new Netron(options, new JdkWebSocketConnector(1 << 20, 1 << 20))) {
				String url = "ws://127.0.0.1:" + server.getLocalPort() + "/netron";
				ExecutionException failure = catchThrowableOfType(ExecutionException.class,
						() -> client.connect(url).get(10, TimeUnit.SECONDS));
				assertThat(failure.getCause()).isInstanceOf(NetronTimeoutException.class)
					.hasMessage("Connection timeout: " + url + " sent its id but did not answer the abilities exchange "
							+ "within 1500 ms (netron.connect-timeout)");
			}
		}
	}

	/**
	 * A server that stops reading makes a client hold what it sends: that counts against the
	 * client node's memory budget like a server's send buffers do, and past it the connection is
	 * closed (1013) and its calls fail, instead of the queue growing to the connection's own send
	 * buffer (64 MB here) unseen by the budget.
	 */
	@Test
	void whatWaitsToBeSentToAServerThatStoppedReadingCountsAgainstTheClientsBudget() throws Exception {
		List<Integer> opcodes = new CopyOnWriteArrayList<>();
		try (ServerSocket server = new ServerSocket()) {
			server.setReceiveBufferSize(16 * 1024);
			server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			java.util.concurrent.CountDownLatch stopReading = new java.util.concurrent.CountDownLatch(1);
			Thread frozen = new Thread(() -> serveThenStopReading(server, opcodes, stopReading), "deaf-peer");
			frozen.setDaemon(true);
			frozen.start();
			NetronOptions options = NetronOptions.defaults()
				.withRequestTimeout(Duration.ofSeconds(60))
				.withReconnect(new NetronOptions.Reconnect(false, Duration.ofSeconds(1), Duration.ofSeconds(30), 0))
				.withLimits(ConnectionLimits.defaults().withMaxBufferedBytes(4 << 20));
			try (Netron client = new Netron(options, new JdkWebSocketConnector(1 << 20, 64 << 20))) {
				RemotePeer peer = client.connect("ws://127.0.0.1:" + server.getLocalPort() + "/netron").get(5, TimeUnit.SECONDS);
				String megabyte = "m".repeat(1 << 20);
				List<java.util.concurrent.CompletableFuture<Object>> calls = new java.util.ArrayList<>();
				for (int i = 0; i < 32; i++) {
					calls.add(peer.runTask("store", megabyte));
				}
				// those queued when the budget was passed fail for it; later ones find the connection gone
				List<Throwable> failures = new java.util.ArrayList<>();
				for (java.util.concurrent.CompletableFuture<Object> call : calls) {
					failures.add(catchThrowableOfType(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS)).getCause());
				}
				assertThat(failures).allSatisfy((failure) -> assertThat(failure).isInstanceOf(PeerDisconnectedException.class))
					.anySatisfy((failure) -> assertThat(failure).hasMessageContaining("memory budget"));
				org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.memory().used() == 0);
			}
			finally {
				stopReading.countDown();
			}
		}
	}

	/** Accepts one WebSocket, sends the id and answers the abilities task, then reads nothing more. */
	private static void serveThenStopReading(ServerSocket server, List<Integer> opcodes,
			java.util.concurrent.CountDownLatch until) {
		try (Socket socket = server.accept()) {
			handshake(socket, opcodes);
			until.await(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Accepts one WebSocket, sends the id and answers the abilities task, then reads without answering. */
	private static void serveThenFreeze(ServerSocket server, List<Integer> opcodes) {
		try (Socket socket = server.accept()) {
			handshake(socket, opcodes);
			DataInputStream frames = new DataInputStream(socket.getInputStream());
			while (true) {
				readFrame(frames, opcodes);
			}
		}
		catch (EOFException | java.net.SocketException ex) {
			// the client closed the connection
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The upgrade, the id frame, the answer to the abilities task. */
	private static void handshake(Socket socket, List<Integer> opcodes) throws Exception {
		upgradeAndSendId(socket);
		Packet abilities = codec.decode(readFrame(new DataInputStream(socket.getInputStream()), opcodes));
		writeFrame(socket.getOutputStream(), 0x2, codec.encode(Packet.response(abilities.id(), PacketType.TASK,
				Map.of("services", new JsMap(), "allowServiceEvents", false))));
	}

	/** The upgrade and the id frame of a seed-era server. */
	private static void upgradeAndSendId(Socket socket) throws Exception {
		InputStream in = socket.getInputStream();
		OutputStream out = socket.getOutputStream();
		String key = null;
		for (String line : readHead(in).split("\r\n")) {
			if (line.toLowerCase().startsWith("sec-websocket-key:")) {
				key = line.substring(line.indexOf(':') + 1).trim();
			}
		}
		String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
			.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
		out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		writeFrame(out, 0x1, "{\"type\":\"id\",\"id\":\"frozen\"}".getBytes(StandardCharsets.UTF_8));
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				throw new EOFException();
			}
			head.write(next);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	private static void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
		out.write(0x80 | opcode);
		if (payload.length < 126) {
			out.write(payload.length);
		}
		else {
			out.write(126);
			out.write(payload.length >> 8);
			out.write(payload.length & 0xff);
		}
		out.write(payload);
		out.flush();
	}

	/** One client frame (masked, unfragmented), unmasked. */
	private static byte[] readFrame(DataInputStream in, List<Integer> opcodes) throws IOException {
		int first = in.readUnsignedByte();
		opcodes.add(first & 0x0f);
		int second = in.readUnsignedByte();
		long length = second & 0x7f;
		if (length == 126) {
			length = in.readUnsignedShort();
		}
		else if (length == 127) {
			length = in.readLong();
		}
		byte[] mask = new byte[4];
		in.readFully(mask);
		byte[] payload = new byte[(int) length];
		in.readFully(payload);
		for (int i = 0; i < payload.length; i++) {
			payload[i] ^= mask[i % 4];
		}
		return payload;
	}

}
