package io.netron.core;

/** {@link HostileInputTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveHostileInputTests extends HostileInputTests {

}
