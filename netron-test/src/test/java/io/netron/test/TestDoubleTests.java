package io.netron.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.test.shop.CheckoutService;
import io.netron.test.shop.ShopApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service the application calls on another node, replaced in a test by a double the test
 * declares as a {@code @NetronService}: the application's {@code @NetronClient} reaches it in
 * process ({@code netron.peers.payments.url=inproc://application/netron}), through the codec.
 */
@SpringBootTest(classes = { ShopApplication.class, TestDoubleTests.Doubles.class }, webEnvironment = WebEnvironment.NONE,
		properties = "netron.peers.payments.url=inproc://application/netron")
@AutoConfigureNetronInProcess
class TestDoubleTests {

	@Autowired
	CheckoutService checkout;

	@Autowired
	FakePayments payments;

	@Test
	void theApplicationCallsTheDoubleOfARemoteService() {
		assertThat(this.checkout.checkout("o-1", 1250)).isEqualTo("paid receipt-o-1");
		assertThat(this.payments.charged).containsExactly("o-1:1250");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Doubles {

		@Bean
		FakePayments fakePayments() {
			return new FakePayments();
		}

	}

	/** What the payments node would answer, recorded. */
	@NetronService("payments@1.0.0")
	static class FakePayments {

		final List<String> charged = new CopyOnWriteArrayList<>();

		@Public
		public String charge(String order, int cents) {
			this.charged.add(order + ":" + cents);
			return "receipt-" + order;
		}

	}

}
