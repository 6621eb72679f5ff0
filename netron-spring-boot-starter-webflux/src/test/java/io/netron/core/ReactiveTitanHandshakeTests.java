package io.netron.core;

/** {@link TitanHandshakeTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveTitanHandshakeTests extends TitanHandshakeTests {

}
