package io.netron.core;

/** {@link ExecutionTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveExecutionTests extends ExecutionTests {

}
