package io.netron.test;

import java.time.Duration;
import java.util.List;

import io.netron.test.app.Order;
import io.netron.test.app.OrdersApplication;
import io.netron.test.app.OrdersClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application on a random port, called over a real WebSocket by a {@link NetronTestClient}
 * as a peer from outside would, with the events it emits recorded through the connection.
 */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		// the application's own client is not used here; its peer needs a URL all the same
		properties = "netron.peers.self.url=ws://127.0.0.1:1/netron")
class EndToEndApplicationTests {

	@Autowired
	Environment environment;

	@Test
	void aClientFromOutsideCallsTheApplicationAndHearsItsEvents() throws Exception {
		try (NetronTestClient client = NetronTestClient.connect(this.environment);
				NetronEventRecorder placed = NetronEventRecorder.subscribe(client.peer(), "orders:placed",
						Duration.ofSeconds(5))) {
			OrdersClient orders = client.service("orders@^1.0.0", OrdersClient.class);
			Order order = orders.place("coffee");
			assertThat(orders.find(order.id())).isEqualTo(order);
			assertThat(placed.awaitCount(1, Duration.ofSeconds(5))).containsExactly(List.of(order.id(), "coffee"));
		}
	}

}
