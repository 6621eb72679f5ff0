package io.netron.core;

/** {@link SignatureCheckTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveSignatureCheckTests extends SignatureCheckTests {

}
