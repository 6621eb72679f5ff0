package io.netron.test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.core.PeerDisconnectedException;
import io.netron.core.RemotePeer;
import io.netron.core.RemoteService;
import io.netron.stream.NetronWritableStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes in one JVM through the in-process transport, as they would be over a WebSocket: calls
 * with values through the codec, properties, sub-services, streams, events, the codec's refusals,
 * and connections that close and give everything back.
 */
class InProcessTransportTests {

	private InProcessTransport transport;

	private Netron server;

	private Netron client;

	private URI address;

	@BeforeEach
	void start() {
		this.transport = new InProcessTransport();
		this.server = new Netron(NetronOptions.defaults().withId("server"), this.transport);
		this.server.exposeService(new Shop());
		this.address = this.transport.serve("shop-node", this.server);
		this.client = new Netron(NetronOptions.defaults().withId("client").withRequestTimeout(Duration.ofSeconds(5)),
				this.transport);
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
		this.transport.close();
	}

	@Test
	void callsPropertiesSubServicesStreamsAndEventsGoThroughTheCodec() throws Exception {
		RemotePeer peer = this.client.connect(this.address).get(5, TimeUnit.SECONDS);
		assertThat(peer.id()).isEqualTo("server");
		RemoteService shop = peer.queryInterface("shop@1.0.0");
		// a record goes as its plain form and comes back as a new record of the declared type
		Item item = new Item("tea", 3);
		Object raw = shop.call("twice", item).join();
		assertThat(raw).isEqualTo(java.util.Map.of("name", "tea", "count", 6));
		assertThat(peer.queryInterface("shop@1.0.0", ShopClient.class).twice(item)).isEqualTo(new Item("tea", 6));
		shop.set("open", false).join();
		assertThat(shop.get("open").join()).isEqualTo(false);
		RemoteService basket = (RemoteService) shop.call("basket").join();
		assertThat(basket.call("add", "tea").join()).isEqualTo(1);
		assertThat(peer.queryInterface("shop@1.0.0", ShopClient.class).countdown(3)).containsExactly(3, 2, 1);
		List<Object> events = new CopyOnWriteArrayList<>();
		peer.subscribe("shop:sold", (args) -> events.add(args.get(0))).join();
		this.server.emit("shop:sold", "tea").join();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events).containsExactly("tea"));
		// what the codec refuses over a socket, it refuses here
		assertThat(shop.call("thread")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.withMessageContaining("Not supported: java.lang.Thread");
	}

	@Test
	void aNameNobodyServesIsRefusedNamingWhatIsServed() {
		assertThat(this.client.connect("inproc://elsewhere/netron")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.withMessageContaining("no node serves 'elsewhere' in process (serving: shop-node)");
	}

	@Test
	void closingEitherSideTellsTheOtherAndAClosedClientLeavesNothingOpen() throws Exception {
		RemotePeer peer = this.client.connect(this.address).get(5, TimeUnit.SECONDS);
		assertThat(this.transport.openConnections()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.peers().size() == 1);
		// the server drops the client: the client hears it, and comes back as it would over a socket
		this.server.peers().iterator().next().disconnect();
		await().atMost(Duration.ofSeconds(5)).until(() -> !peer.isConnected());
		await().atMost(Duration.ofSeconds(10)).until(peer::isConnected);
		assertThat(peer.queryInterface("shop@1.0.0").call("twice", new Item("x", 1)).join())
			.isEqualTo(java.util.Map.of("name", "x", "count", 2));
		// the client leaves for good: nothing stays open on either side
		peer.disconnect();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.peers().isEmpty());
		assertThat(this.transport.openConnections()).isZero();
		assertThat(peer.queryInterface("shop@1.0.0").call("twice", new Item("x", 1)))
			.failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(PeerDisconnectedException.class);
	}

	public record Item(String name, int count) {
	}

	public interface ShopClient {

		Item twice(Item item);

		java.util.stream.Stream<Integer> countdown(int from);

	}

	@NetronService("shop@1.0.0")
	public static class Shop {

		@Public
		public boolean open = true;

		@Public
		public Item twice(Item item) {
			return new Item(item.name(), item.count() * 2);
		}

		@Public
		public Basket basket() {
			return new Basket();
		}

		@Public
		public NetronWritableStream<Integer> countdown(int from) {
			return NetronWritableStream.from(List.of(3, 2, 1).subList(3 - from, 3).iterator());
		}

		@Public
		public Object thread() {
			return Thread.currentThread();
		}

	}

	@NetronService(value = "shop.basket@1.0.0", expose = false)
	public static class Basket {

		private final List<String> items = new CopyOnWriteArrayList<>();

		@Public
		public int add(String item) {
			this.items.add(item);
			return this.items.size();
		}

	}

}
