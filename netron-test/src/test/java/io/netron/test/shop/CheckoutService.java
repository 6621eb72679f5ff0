package io.netron.test.shop;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;

/** Checks an order out by charging it through the payments node. */
@NetronService("checkout@1.0.0")
public class CheckoutService {

	private final PaymentsClient payments;

	public CheckoutService(PaymentsClient payments) {
		this.payments = payments;
	}

	@Public
	public String checkout(String order, int cents) {
		return "paid " + this.payments.charge(order, cents);
	}

}
