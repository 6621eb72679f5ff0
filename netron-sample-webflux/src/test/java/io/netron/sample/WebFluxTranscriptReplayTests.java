package io.netron.sample;

import io.netron.sample.webflux.NetronWebFluxSampleApplication;

import org.springframework.boot.test.context.SpringBootTest;

/** The TypeScript client's recorded conversation (seed generation) replayed against the WebFlux sample. */
@SpringBootTest(classes = NetronWebFluxSampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.demo.enabled=false", "netron.allow-service-events=true" })
class WebFluxTranscriptReplayTests extends TranscriptReplayTests {

}
