package io.netron.sample.demo;

import java.util.concurrent.TimeUnit;

import io.netron.core.RemoteAccessDeniedException;
import io.netron.core.RemoteInvocationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The client side of the demo: once the application is up, it calls the services through the
 * {@code @NetronClient} proxies, over the node's own WebSocket endpoint, and logs what it got.
 */
@Component
@ConditionalOnProperty(prefix = "sample.demo", name = "enabled", havingValue = "true", matchIfMissing = true)
public class DemoRunner {

	private static final Logger logger = LoggerFactory.getLogger(DemoRunner.class);

	private final GreeterClient greeter;

	private final CalculatorClient calculator;

	private final TickerClient ticker;

	public DemoRunner(GreeterClient greeter, CalculatorClient calculator, TickerClient ticker) {
		this.greeter = greeter;
		this.calculator = calculator;
		this.ticker = ticker;
	}

	@EventListener(ApplicationReadyEvent.class)
	public void run() throws Exception {
		logger.info("greeter.greet(\"Netron\") -> {}", this.greeter.greet("Netron"));
		logger.info("greeter.language -> {}", this.greeter.language());
		logger.info("calculator.add(2, 3) -> {}", this.calculator.add(2, 3));
		logger.info("calculator.divide(1, 4) -> {}", this.calculator.divideAsync(1, 4).get(5, TimeUnit.SECONDS));
		try {
			this.calculator.divideAsync(1, 0).join();
		}
		catch (java.util.concurrent.CompletionException ex) {
			RemoteInvocationException remote = (RemoteInvocationException) ex.getCause();
			logger.info("calculator.divide(1, 0) -> {} {}", remote.getMessage(), remote.customFields());
		}
		CalculatorClient.Memory memory = this.calculator.memory();
		memory.store(42);
		logger.info("calculator.memory().recall() -> {}", memory.recall());
		try {
			this.calculator.clearMemory();
			logger.info("calculator.clearMemory() -> done");
		}
		catch (RemoteAccessDeniedException ex) {
			// the secure profile: the demo's user is not an administrator
			logger.info("calculator.clearMemory() -> refused: {}", ex.getMessage());
		}
		try (java.util.stream.Stream<Integer> countdown = this.ticker.countdown(5)) {
			logger.info("ticker.countdown(5) streamed -> {}", countdown.toList());
		}
		logger.info("Netron demo done: both sides ran in this application");
	}

}
