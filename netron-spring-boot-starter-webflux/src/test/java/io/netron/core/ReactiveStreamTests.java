package io.netron.core;

/** {@link StreamTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveStreamTests extends StreamTests {

}
