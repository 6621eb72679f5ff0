package io.netron.core;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The default worker pool: as many threads as cores while calls are short, grown (up to the
 * maximum) when queued work stops moving because the threads are blocked, for service methods
 * that wait on I/O, and shrunk back once the queue stays empty. {@link #adjust()} runs every
 * few milliseconds. A plain {@link ThreadPoolExecutor} grows only once its queue is full (never,
 * with a large queue), and one with many threads spreads short calls over all of them, which
 * costs hand-offs: measured, 64 threads cut echo calls by a third on 2 cores.
 */
final class WorkerPool extends ThreadPoolExecutor {

	private final int baseThreads;

	private long lastCompleted;

	private int quietChecks;

	WorkerPool(int baseThreads, int maxThreads, int queueCapacity, ThreadFactory threads) {
		super(baseThreads, maxThreads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queueCapacity), threads);
		this.baseThreads = baseThreads;
	}

	/** Grows when tasks wait and fewer completed than there are threads; shrinks when idle. */
	synchronized void adjust() {
		long completed = getCompletedTaskCount();
		long progress = completed - this.lastCompleted;
		this.lastCompleted = completed;
		int core = getCorePoolSize();
		if (!getQueue().isEmpty()) {
			this.quietChecks = 0;
			if (progress < getPoolSize() && core < getMaximumPoolSize()) {
				// the threads are stuck (blocking calls): add half as many again
				setCorePoolSize(Math.min(getMaximumPoolSize(), core + Math.max(1, core / 2)));
			}
		}
		else if (core > this.baseThreads && ++this.quietChecks >= 100) {
			this.quietChecks = 0;
			setCorePoolSize(Math.max(this.baseThreads, core - Math.max(1, core / 4)));
		}
	}

}
