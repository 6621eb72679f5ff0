package io.netron.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upgrade on Reactor Netty, where it differs from Tomcat's: bytes a client sends before the 101
 * answer (which no conforming client does) are left by Netty's HTTP decoder to Reactor Netty's HTTP
 * exchange, which never released them: one pooled read buffer leaked per such connection.
 */
class ReactiveUpgradeTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { TestServices.Calculator.class });
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@Test
	void bytesSentBeforeTheUpgradeIsAnsweredAreReleasedAndTheConnectionClosedWith1002() throws Exception {
		ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
		Leaks leaks = new Leaks();
		Logger detector = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
		leaks.setContext(detector.getLoggerContext());
		leaks.start();
		detector.addAppender(leaks);
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
		try {
			for (int i = 0; i < 20; i++) {
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress("127.0.0.1", TestNodes.port(server)), 5000);
					socket.setSoTimeout(10_000);
					// the upgrade request and a frame in one write: Netty's HTTP decoder reads the request,
					// the upgrade removes the decoder within that read, and the decoder hands the frame on raw
					java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
					bytes.write(RawWebSocket.upgradeRequest("early-" + i));
					bytes.write(RawWebSocket.maskedBinary(new byte[200]));
					OutputStream out = socket.getOutputStream();
					out.write(bytes.toByteArray());
					out.flush();
					String answer = readUntil(socket.getInputStream(), "before the upgrade was answered");
					assertThat(answer).startsWith("HTTP/1.1 101");
					// the close frame: 1002 (0x03ea) and its reason
					assertThat(answer).contains("\u0003\u00eaframes sent before the upgrade was answered");
				}
			}
			// every buffer that became garbage is reported at the next allocations after a collection
			for (int round = 0; round < 5; round++) {
				System.gc();
				assertThat(nodes.client().connect(TestNodes.url(server)).join()
					.queryInterface("calculator@1.0.0").call("add", 1, 2).join()).isEqualTo(3);
			}
			assertThat(leaks.seen).isEmpty();
		}
		finally {
			ResourceLeakDetector.setLevel(level);
			detector.detachAppender(leaks);
		}
	}

	/** What the node sends until it has sent {@code last} (or closed the connection), as ISO-8859-1 text. */
	private static String readUntil(InputStream in, String last) throws IOException {
		StringBuilder text = new StringBuilder();
		byte[] buffer = new byte[4096];
		int read;
		while (text.indexOf(last) < 0 && (read = in.read(buffer)) >= 0) {
			text.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
		}
		return text.toString();
	}

	private static final class Leaks extends AppenderBase<ILoggingEvent> {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@Override
		protected void append(ILoggingEvent event) {
			if (event.getFormattedMessage().contains("LEAK")) {
				this.seen.add(event.getFormattedMessage());
			}
		}

	}

}
