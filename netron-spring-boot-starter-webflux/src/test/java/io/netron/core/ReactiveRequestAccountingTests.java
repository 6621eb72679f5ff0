package io.netron.core;

/** {@link RequestAccountingTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveRequestAccountingTests extends RequestAccountingTests {

}
