package io.netron.core;

/** {@link ReconnectTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveReconnectTests extends ReconnectTests {

}
