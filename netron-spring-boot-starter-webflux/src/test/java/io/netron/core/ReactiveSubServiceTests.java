package io.netron.core;

/** {@link SubServiceTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveSubServiceTests extends SubServiceTests {

}
