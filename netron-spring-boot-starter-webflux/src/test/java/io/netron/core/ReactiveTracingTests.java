package io.netron.core;

/** {@link TracingTests} with the nodes on Spring WebFlux and Reactor Netty. */
class ReactiveTracingTests extends TracingTests {

}
