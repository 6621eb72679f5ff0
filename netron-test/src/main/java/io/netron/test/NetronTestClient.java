package io.netron.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netron.NetronException;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.core.RemotePeer;
import io.netron.core.RemoteService;
import io.netron.transport.JdkWebSocketConnector;

import org.springframework.core.env.Environment;

/**
 * A Netron client of the application under test, for a {@code @SpringBootTest(webEnvironment =
 * RANDOM_PORT)}: it connects over a real WebSocket to the port the application listens on, as a
 * peer from outside would, and is closed with the test.
 *
 * <pre>{@code
 * @SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * class OrdersEndToEndTests {
 *
 *   @Test
 *   void placesAnOrder(@Autowired Environment environment) throws Exception {
 *     try (NetronTestClient client = NetronTestClient.connect(environment)) {
 *       assertThat(client.service("orders@1.0.0").call("place", "tea").join()).isNotNull();
 *     }
 *   }
 * }
 * }</pre>
 */
public final class NetronTestClient implements AutoCloseable {

	private final Netron node;

	private final RemotePeer peer;

	private NetronTestClient(Netron node, RemotePeer peer) {
		this.node = node;
		this.peer = peer;
	}

	/**
	 * Connects to the application: {@code ws://127.0.0.1:<local.server.port><netron.server.path>}.
	 * @param environment the application's environment
	 * @return the connected client
	 * @throws NetronException when the application serves no port or does not accept the connection
	 */
	public static NetronTestClient connect(Environment environment) {
		String port = environment.getProperty("local.server.port");
		if (port == null) {
			throw new NetronException("The application serves no port (local.server.port is not set): use "
					+ "@SpringBootTest(webEnvironment = RANDOM_PORT), or @AutoConfigureNetronInProcess without a web server");
		}
		String path = environment.getProperty("netron.server.path", "/netron");
		return connect("ws://127.0.0.1:" + port + path, Duration.ofSeconds(10));
	}

	/**
	 * Connects to a node at a URL.
	 * @param url the node's endpoint
	 * @param timeout how long connecting and each request may take
	 * @return the connected client
	 */
	public static NetronTestClient connect(String url, Duration timeout) {
		Netron node = new Netron(NetronOptions.defaults().withRequestTimeout(timeout).withConnectTimeout(timeout),
				new JdkWebSocketConnector(64 << 20, 16 << 20));
		try {
			return new NetronTestClient(node, node.connect(url).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS));
		}
		catch (Exception ex) {
			node.close();
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new NetronException("Cannot connect to the application at " + url + ": " + ex, ex);
		}
	}

	/** {@return the application, as a peer of this client} */
	public RemotePeer peer() {
		return this.peer;
	}

	/**
	 * A service of the application.
	 * @param name {@code name}, {@code name@version} or {@code name@range}
	 * @return the service
	 */
	public RemoteService service(String name) {
		return this.peer.queryInterface(name);
	}

	/**
	 * A typed proxy of a service of the application.
	 * @param <T> the interface
	 * @param name {@code name}, {@code name@version} or {@code name@range}
	 * @param type the interface (such as the application's own {@code @NetronClient} interface)
	 * @return the proxy
	 */
	public <T> T service(String name, Class<T> type) {
		return this.peer.queryInterface(name, type);
	}

	@Override
	public void close() {
		this.node.close();
	}

}
