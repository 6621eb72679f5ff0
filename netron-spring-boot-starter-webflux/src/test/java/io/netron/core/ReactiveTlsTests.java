package io.netron.core;

/** {@link TlsTests} with the nodes on Spring WebFlux and Reactor Netty, secured by a {@code SecurityWebFilterChain}. */
class ReactiveTlsTests extends TlsTests {

}
