package io.netron.core;

/** {@link MemoryBudgetTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveMemoryBudgetTests extends MemoryBudgetTests {

	/**
	 * Netty frees an evicted connection's queue as soon as its channel closes, so what the no-readers
	 * hold can fall well below half the budget once the heaviest went: that it is counted at all, and
	 * never more than the budget, is what this stack can promise.
	 */
	@Override
	long leastHeldForPeersThatDoNotRead() {
		return 1L << 20;
	}

}
