package io.netron.sample;

import io.netron.sample.webflux.NetronWebFluxSampleApplication;
import io.netron.titan.TitanExtraService;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * Every HTTP exchange captured from a Titan node, replayed against the WebFlux sample; its browser
 * page and springdoc's WebFlux document (with the Netron methods in it) as in the servlet sample.
 */
@SpringBootTest(classes = NetronWebFluxSampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.demo.enabled=false")
@Import(TitanExtraService.class)
class WebFluxTitanHttpReplayTests extends TitanHttpReplayTests {

}
