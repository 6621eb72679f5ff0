package io.netron.test.shop;

import io.netron.annotation.NetronClient;

/** The payments service of another node. */
@NetronClient(value = "payments@^1.0.0", peer = "payments")
public interface PaymentsClient {

	String charge(String order, int cents);

}
