/**
 * The demo: small services and the {@code @NetronClient} proxies that call them.
 */
@NullMarked
package io.netron.sample.demo;

import org.jspecify.annotations.NullMarked;
