package io.netron.autoconfigure.serverapp;

import io.netron.NetronTestApplication;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;


/**
 * A server application for client tests, in a package without client interfaces.
 */
@NetronTestApplication
public class CalcServerApplication {

	// Calc and Counter are @NetronService, hence @Component: as member classes of this
	// configuration they are registered as beans without a @Bean method

	@NetronService("calc@1.2.0")
	public static class Calc {

		@Public(readonly = true)
		public String version = "1.2.0";

		public final CountDownLatch started = new CountDownLatch(1);

		public final CountDownLatch finish = new CountDownLatch(1);

		private final Counter counter = new Counter();

		@Public
		public long add(long a, long b) {
			return a + b;
		}

		@Public
		public Counter counter() {
			return this.counter;
		}

		@Public
		public String slow() throws InterruptedException {
			this.started.countDown();
			this.finish.await(10, TimeUnit.SECONDS);
			return "done";
		}

	}

	@NetronService(value = "calc.counter@1.0.0", expose = false)
	public static class Counter {

		private int value;

		@Public
		public int increment() {
			return ++this.value;
		}

	}

}
