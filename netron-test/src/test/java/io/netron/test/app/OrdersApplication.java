package io.netron.test.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application that serves orders and calls them through its own client, as the README's examples do. */
@SpringBootApplication
public class OrdersApplication {

}
