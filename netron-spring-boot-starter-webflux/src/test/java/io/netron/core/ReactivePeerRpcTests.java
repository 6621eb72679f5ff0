package io.netron.core;

/** {@link PeerRpcTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactivePeerRpcTests extends PeerRpcTests {

}
