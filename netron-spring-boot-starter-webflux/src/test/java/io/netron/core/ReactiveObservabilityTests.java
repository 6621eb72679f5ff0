package io.netron.core;

/** {@link ObservabilityTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveObservabilityTests extends ObservabilityTests {

}
