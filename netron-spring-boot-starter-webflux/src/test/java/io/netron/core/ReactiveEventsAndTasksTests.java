package io.netron.core;

/** {@link EventsAndTasksTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveEventsAndTasksTests extends EventsAndTasksTests {

}
