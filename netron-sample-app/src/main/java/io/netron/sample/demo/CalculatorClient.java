package io.netron.sample.demo;

import java.util.concurrent.CompletableFuture;

import io.netron.annotation.NetronClient;

/**
 * A typed client of {@code calculator@1.x}, with its memory sub-service.
 */
@NetronClient(value = "calculator@^1.0.0", peer = "self")
public interface CalculatorClient {

	double add(double a, double b);

	CompletableFuture<Double> divideAsync(double a, double b);

	Memory memory();

	void clearMemory();

	/** The sub-service's client: chosen by the return type of {@link #memory()}. */
	interface Memory {

		void store(double value);

		double recall();

	}

}
