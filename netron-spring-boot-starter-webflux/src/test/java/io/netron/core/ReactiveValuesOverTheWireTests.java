package io.netron.core;

/** {@link ValuesOverTheWireTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveValuesOverTheWireTests extends ValuesOverTheWireTests {

}
