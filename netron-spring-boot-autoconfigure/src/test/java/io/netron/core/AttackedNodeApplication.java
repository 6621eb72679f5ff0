package io.netron.core;

import java.lang.management.ManagementFactory;

import io.netron.NetronTestApplication;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * The node {@link NodeUnderAttackTests} attacks, in a JVM of its own with a small heap: an echo
 * service and a way to read its heap after a collection. Prints {@code PORT=<port>} once it serves.
 */
@NetronTestApplication
public class AttackedNodeApplication {

	public static void main(String[] args) {
		SpringApplication.run(AttackedNodeApplication.class, args);
	}

	@Bean
	ApplicationListener<WebServerInitializedEvent> printPort(Netron netron) {
		return (event) -> {
			System.out.println("PORT=" + event.getWebServer().getPort());
			// what the node counts and what the heap holds, once a second, for the test's failure messages
			Thread watch = new Thread(() -> {
				while (true) {
					System.out.println("BUDGET used=" + (netron.memory().used() >> 20) + "MB accounts=" + netron.memory().accounts()
							+ " heap=" + (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20) + "MB inflight="
							+ netron.requestsInFlight());
					try {
						Thread.sleep(1000);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			watch.setDaemon(true);
			watch.start();
		};
	}

	/** A member class of the configuration: registered with it. */
	@NetronService("target@1.0.0")
	public static class Target {

		@Public
		public String echo(String text) {
			return text;
		}

		@Public
		public int add(int a, int b) {
			return a + b;
		}

		/** The heap in use after a full collection, in bytes. */
		@Public
		public long heapAfterGc() {
			System.gc();
			return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		}

	}

}
