package io.netron.core;

/**
 * {@link TitanGenerationTests} with the client nodes on Reactor Netty's WebSocket client and the
 * scripted Titan server, like every server node here, on Spring WebFlux.
 */
class ReactiveTitanGenerationTests extends TitanGenerationTests {

}
