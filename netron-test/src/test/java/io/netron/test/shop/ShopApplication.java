package io.netron.test.shop;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application whose checkout calls a payments service living on another node. */
@SpringBootApplication
public class ShopApplication {

}
