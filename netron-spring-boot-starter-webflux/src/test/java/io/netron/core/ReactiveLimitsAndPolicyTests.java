package io.netron.core;

/** {@link LimitsAndPolicyTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveLimitsAndPolicyTests extends LimitsAndPolicyTests {

}
