package io.netron.core;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor.
 */
final class SerialExecutor implements Executor {

	private static final Logger logger = LoggerFactory.getLogger(SerialExecutor.class);

	private final Queue<Runnable> tasks = new ArrayDeque<>();

	private final Executor executor;

	private boolean running;

	SerialExecutor(Executor executor) {
		this.executor = executor;
	}

	@Override
	public void execute(Runnable task) {
		synchronized (this.tasks) {
			this.tasks.add(task);
			if (this.running) {
				return;
			}
			this.running = true;
		}
		try {
			this.executor.execute(this::drain);
		}
		catch (RuntimeException ex) {
			synchronized (this.tasks) {
				this.tasks.remove(task);
				this.running = false;
			}
			throw ex;
		}
	}

	private void drain() {
		while (true) {
			Runnable next;
			synchronized (this.tasks) {
				next = this.tasks.poll();
				if (next == null) {
					this.running = false;
					return;
				}
			}
			try {
				next.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Serial task failed", ex);
			}
		}
	}

}
