package io.netron.sample.demo;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;

/**
 * A sub-service: never exposed on its own, handed out by {@link CalculatorService#memory()}.
 */
@NetronService(value = "calculator.memory@1.0.0", expose = false)
public class MemoryService {

	private double value;

	@Public
	public void store(double value) {
		this.value = value;
	}

	@Public
	public double recall() {
		return this.value;
	}

}
