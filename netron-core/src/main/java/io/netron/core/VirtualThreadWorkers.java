package io.netron.core;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Workers on virtual threads (Java 21 and later), one per task, named {@code netron-vworker-N}:
 * blocking service methods then cost no platform thread each, so any number may block at once.
 * What one node holds stays bounded: beyond {@code maxTasks} tasks running or waiting, tasks are
 * rejected (callers are told the node is overloaded), as the thread pool rejects beyond its queue.
 */
final class VirtualThreadWorkers extends AbstractExecutorService {

	private final ExecutorService executor;

	private final Semaphore permits;

	private VirtualThreadWorkers(ExecutorService executor, int maxTasks) {
		this.executor = executor;
		this.permits = new Semaphore(maxTasks);
	}

	/**
	 * Virtual-thread workers, or {@code null} when this runtime has no virtual threads (before Java 21).
	 * @param maxTasks the most tasks running or waiting at once
	 */
	static @Nullable ExecutorService create(int maxTasks) {
		if (Runtime.version().feature() < 21) {
			return null;
		}
		try {
			// Thread.ofVirtual().name("netron-vworker-", 1).factory(), through the public interface
			Class<?> builder = Class.forName("java.lang.Thread$Builder");
			Object virtual = Thread.class.getMethod("ofVirtual").invoke(null);
			Object named = builder.getMethod("name", String.class, long.class).invoke(virtual, "netron-vworker-", 1L);
			ThreadFactory factory = (ThreadFactory) builder.getMethod("factory").invoke(named);
			Method perTask = java.util.concurrent.Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
			return new VirtualThreadWorkers((ExecutorService) perTask.invoke(null, factory), maxTasks);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	@Override
	public void execute(Runnable task) {
		if (!this.permits.tryAcquire()) {
			throw new RejectedExecutionException("More than the allowed tasks are running or waiting");
		}
		try {
			this.executor.execute(() -> {
				try {
					task.run();
				}
				finally {
					this.permits.release();
				}
			});
		}
		catch (RuntimeException ex) {
			this.permits.release();
			throw ex;
		}
	}

	@Override
	public void shutdown() {
		this.executor.shutdown();
	}

	@Override
	public List<Runnable> shutdownNow() {
		return this.executor.shutdownNow();
	}

	@Override
	public boolean isShutdown() {
		return this.executor.isShutdown();
	}

	@Override
	public boolean isTerminated() {
		return this.executor.isTerminated();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		return this.executor.awaitTermination(timeout, unit);
	}

}
