package io.netron.core;

/** {@link SecurityTests} with the nodes on Spring WebFlux and Reactor Netty, secured by a {@code SecurityWebFilterChain}. */
class ReactiveSecurityTests extends SecurityTests {

}
