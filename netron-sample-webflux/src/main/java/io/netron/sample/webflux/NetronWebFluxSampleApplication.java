package io.netron.sample.webflux;

import io.netron.annotation.EnableNetronClients;
import io.netron.sample.conformance.ConformanceV1;
import io.netron.sample.demo.DemoRunner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.event.EventListener;

/**
 * The sample application on Spring WebFlux and Reactor Netty, without a servlet container: the
 * servlet sample's demo and conformance services, its {@code @NetronClient}s, on
 * {@code ws://localhost:8080/netron}.
 */
@SpringBootApplication
@ComponentScan(basePackageClasses = { NetronWebFluxSampleApplication.class, DemoRunner.class, ConformanceV1.class })
@EnableNetronClients(basePackageClasses = DemoRunner.class)
public class NetronWebFluxSampleApplication {

	private static final Logger logger = LoggerFactory.getLogger(NetronWebFluxSampleApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(NetronWebFluxSampleApplication.class, args);
	}

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		logger.info("Netron WebFlux sample application is up: ws://localhost:{}/netron",
				event.getApplicationContext().getEnvironment().getProperty("local.server.port"));
	}

}
