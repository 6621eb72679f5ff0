package io.netron.test.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.core.Netron;

/** Places orders and tells subscribers. */
@NetronService("orders@1.0.0")
public class OrderService {

	private final Netron netron;

	private final AtomicInteger ids = new AtomicInteger();

	private final Map<String, Order> orders = new ConcurrentHashMap<>();

	public OrderService(Netron netron) {
		this.netron = netron;
	}

	@Public
	public Order place(String sku) {
		Order order = new Order("o-" + this.ids.incrementAndGet(), sku);
		this.orders.put(order.id(), order);
		this.netron.emit("orders:placed", order.id(), sku);
		return order;
	}

	@Public
	public Order find(String id) {
		Order order = this.orders.get(id);
		if (order == null) {
			throw new IllegalArgumentException("No order " + id);
		}
		return order;
	}

}
