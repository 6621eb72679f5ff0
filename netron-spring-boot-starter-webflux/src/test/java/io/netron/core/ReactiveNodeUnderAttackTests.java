package io.netron.core;

/**
 * {@link NodeUnderAttackTests} against a node on Spring WebFlux and Reactor Netty (the attacked
 * JVM runs with this module's class path, which has no servlet container).
 */
class ReactiveNodeUnderAttackTests extends NodeUnderAttackTests {

}
