package io.netron.sample;

import io.netron.sample.webflux.NetronWebFluxSampleApplication;
import io.netron.titan.TitanExtraService;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** Every HTTP exchange captured from a Titan node, replayed against the WebFlux sample. */
@SpringBootTest(classes = NetronWebFluxSampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.demo.enabled=false")
@Import(TitanExtraService.class)
class WebFluxTitanHttpReplayTests extends TitanHttpReplayTests {

	@Override
	@Test
	@Disabled("the servlet sample's springdoc-openapi UI (springdoc-openapi-starter-webmvc-ui); the WebFlux sample has none")
	void springdocsDocumentListsTheNetronMethodsAndTheirPathsAnswer() {
	}

	@Override
	@Test
	@Disabled("the servlet sample's browser page (its static resources); the WebFlux sample has none")
	void theSampleServesItsBrowserPage() {
	}

}
