package io.netron.core;

/** {@link RobustnessTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveRobustnessTests extends RobustnessTests {

}
