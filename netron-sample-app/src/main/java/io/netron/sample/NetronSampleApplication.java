package io.netron.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * The Netron sample application: demo services and their {@code @NetronClient} callers, plus the
 * cross-language conformance services, on {@code ws://localhost:8080/netron}.
 */
@SpringBootApplication
public class NetronSampleApplication {

	private static final Logger logger = LoggerFactory.getLogger(NetronSampleApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(NetronSampleApplication.class, args);
	}

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		logger.info("Netron sample application is up: ws://localhost:{}/netron",
				event.getApplicationContext().getEnvironment().getProperty("local.server.port"));
	}

}
