package io.netron.core;

/** {@link FatalErrorHealthTests} with the nodes on Spring WebFlux and Reactor Netty. */
class ReactiveFatalErrorHealthTests extends FatalErrorHealthTests {

}
