package io.netron.sample;

import io.netron.sample.webflux.NetronWebFluxSampleApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The servlet sample's application tests (demo clients, every conformance service, health,
 * streams both ways) against the WebFlux sample on Reactor Netty, whose own clients connect with
 * Reactor Netty's WebSocket client.
 */
@SpringBootTest(classes = NetronWebFluxSampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class WebFluxSampleApplicationTests extends NetronSampleApplicationTests {

}
