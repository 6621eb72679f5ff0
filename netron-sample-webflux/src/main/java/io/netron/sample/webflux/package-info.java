/**
 * The Netron sample application on Spring WebFlux and Reactor Netty.
 */
@NullMarked
package io.netron.sample.webflux;

import org.jspecify.annotations.NullMarked;
