package io.netron.test;

import java.time.Duration;
import java.util.List;

import io.netron.core.Netron;
import io.netron.core.RemoteInvocationException;
import io.netron.test.app.Order;
import io.netron.test.app.OrdersApplication;
import io.netron.test.app.OrdersClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A Spring Boot test of an application that uses Netron, the way the README shows it: its own
 * {@code @NetronClient} calls its own {@code @NetronService} in process, without a web server or a
 * socket, through the codec; the events it emits are asserted with a recorder.
 */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = WebEnvironment.NONE,
		properties = "netron.peers.self.url=inproc://application/netron")
@AutoConfigureNetronInProcess
class InProcessApplicationTests {

	@Autowired
	OrdersClient orders;

	@Autowired
	Netron netron;

	@Autowired
	InProcessTransport transport;

	@Test
	void theApplicationsClientCallsItsServiceInProcess() throws Exception {
		try (NetronEventRecorder placed = NetronEventRecorder.on(this.netron, "orders:placed")) {
			Order order = this.orders.place("tea");
			assertThat(order.sku()).isEqualTo("tea");
			assertThat(this.orders.find(order.id())).isEqualTo(order);
			assertThat(placed.awaitCount(1, Duration.ofSeconds(5))).containsExactly(List.of(order.id(), "tea"));
		}
		// the in-process connection is the application connecting to itself: both sides are in the transport
		assertThat(this.transport.openConnections()).isEqualTo(2);
		assertThatExceptionOfType(RemoteInvocationException.class).isThrownBy(() -> this.orders.find("o-none"))
			.withMessageContaining("No order o-none");
	}

}
