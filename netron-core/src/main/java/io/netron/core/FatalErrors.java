package io.netron.core;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears of threads dying of a {@link VirtualMachineError} (an {@link OutOfMemoryError}, for one):
 * when the servlet container's I/O thread dies so, the process lives on but no longer serves, and
 * nothing else tells. The first such death is kept for the health indicator (DOWN) and logged at
 * ERROR. Installed as the JVM's default uncaught-exception handler, in front of any there was.
 */
public final class FatalErrors {

	private static final Logger logger = LoggerFactory.getLogger(FatalErrors.class);

	private static final AtomicReference<@Nullable Fatal> first = new AtomicReference<>();

	private static volatile boolean installed;

	private FatalErrors() {
	}

	/**
	 * A thread that died of a virtual machine error.
	 * @param thread the thread's name
	 * @param error the error's class and message
	 * @param at when
	 */
	public record Fatal(String thread, String error, Instant at) {

		@Override
		public String toString() {
			return this.error + " in thread '" + this.thread + "' at " + this.at;
		}

	}

	/** Installs the handler (once per JVM), in front of the default handler there was. */
	public static synchronized void install() {
		if (installed) {
			return;
		}
		installed = true;
		Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
			died(thread, error);
			if (previous != null) {
				previous.uncaughtException(thread, error);
			}
			else {
				// what the JVM prints without a handler
				System.err.print("Exception in thread \"" + thread.getName() + "\" ");
				error.printStackTrace(System.err);
			}
		});
	}

	static void died(Thread thread, Throwable error) {
		if (!(error instanceof VirtualMachineError)) {
			return;
		}
		Fatal fatal = new Fatal(thread.getName(), error.getClass().getName() + ": " + error.getMessage(), Instant.now());
		if (first.compareAndSet(null, fatal)) {
			logger.error("{}: this process may no longer serve (a dead I/O thread leaves it deaf); "
					+ "run it with -XX:+ExitOnOutOfMemoryError so that it is restarted", fatal);
		}
	}

	/** {@return the first thread death by a virtual machine error, {@code null} when none happened} */
	public static @Nullable Fatal first() {
		return first.get();
	}

	/** Forgets what was heard (for tests, which fake a death). */
	static void clear() {
		first.set(null);
	}

}
