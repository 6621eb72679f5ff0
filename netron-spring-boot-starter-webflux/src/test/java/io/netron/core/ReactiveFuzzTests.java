package io.netron.core;

/** {@link FuzzTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveFuzzTests extends FuzzTests {

}
