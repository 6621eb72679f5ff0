package io.netron.test.app;

/**
 * An order, as it travels.
 * @param id its id
 * @param sku what was ordered
 */
public record Order(String id, String sku) {
}
