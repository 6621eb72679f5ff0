package io.netron.core;

/** {@link ShutdownTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveShutdownTests extends ShutdownTests {

}
