package io.netron.test.app;

import io.netron.annotation.NetronClient;

/** The application's own client of its orders service (peer "self"). */
@NetronClient(value = "orders@^1.0.0", peer = "self")
public interface OrdersClient {

	Order place(String sku);

	Order find(String id);

}
