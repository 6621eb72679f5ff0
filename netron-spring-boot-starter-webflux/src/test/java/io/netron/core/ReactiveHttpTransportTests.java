package io.netron.core;

/** {@link HttpTransportTests} with the nodes on Spring WebFlux and Reactor Netty (no servlet container on this class path). */
class ReactiveHttpTransportTests extends HttpTransportTests {

}
