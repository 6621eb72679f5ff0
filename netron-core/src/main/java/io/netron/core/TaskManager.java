package io.netron.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;

import org.jspecify.annotations.Nullable;

/**
 * The tasks of a node, by name, with the seed's timeout and overwrite strategy.
 */
public final class TaskManager {

	private final Map<String, Task> tasks = new ConcurrentHashMap<>();

	private final Duration timeout;

	private final TaskOverwriteStrategy overwriteStrategy;

	private final ScheduledExecutorService scheduler;

	/**
	 * The tasks of a node.
	 * @param timeout how long a task may run
	 * @param overwriteStrategy what adding a task with an existing name does
	 * @param scheduler where timeouts run
	 */
	public TaskManager(Duration timeout, TaskOverwriteStrategy overwriteStrategy, ScheduledExecutorService scheduler) {
		this.timeout = timeout;
		this.scheduler = scheduler;
		this.overwriteStrategy = overwriteStrategy;
	}

	/**
	 * Adds a task under a name, following the overwrite strategy when the name is taken.
	 * @return whether the task was added
	 * @param name the task's name
	 * @param task what it does
	 * @throws IllegalStateException "Task already exists: name" with {@link TaskOverwriteStrategy#THROW}
	 */
	public boolean addTask(String name, Task task) {
		if (name.isEmpty()) {
			throw new IllegalArgumentException("Task must have a name");
		}
		Task existing = this.tasks.putIfAbsent(name, task);
		if (existing == null) {
			return true;
		}
		return switch (this.overwriteStrategy) {
			case REPLACE -> {
				this.tasks.put(name, task);
				yield true;
			}
			case SKIP -> false;
			case THROW -> throw new IllegalStateException("Task already exists: " + name);
		};
	}

	/**
	 * Removes a task; returns whether there was one.
	 * @param name the task's name
	 * @return whether there was one
	 */
	public boolean removeTask(String name) {
		return this.tasks.remove(name) != null;
	}

	/**
	 * Whether a task of the name is registered.
	 * @param name the task's name
	 * @return whether peers may run it
	 */
	public boolean hasTask(String name) {
		return this.tasks.containsKey(name);
	}

	/** {@return the names of the tasks} */
	public Set<String> taskNames() {
		return Set.copyOf(this.tasks.keySet());
	}

	/**
	 * Runs a task; the result fails with "Task timed out: name (5000ms)" if the task, or the
	 * stage it returns, does not complete within the timeout. A task that blocks keeps its
	 * thread, but the peer gets its answer on time.
	 * @param name the task's name
	 * @param peer the peer that asked
	 * @param args the arguments
	 * @param executor where the task runs
	 * @return the task's result
	 */
	public CompletableFuture<@Nullable Object> runTask(String name, RemotePeer peer, List<@Nullable Object> args,
			Executor executor) {
		Task task = this.tasks.get(name);
		if (task == null) {
			return CompletableFuture.failedFuture(taskNotFound(name));
		}
		CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
		executor.execute(() -> {
			try {
				Object value = task.run(peer, args);
				if (value instanceof CompletionStage<?> stage) {
					stage.whenComplete((done, failure) -> complete(result, done, failure));
				}
				else {
					result.complete(value);
				}
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		long millis = this.timeout.toMillis();
		ScheduledFuture<?> timer = this.scheduler.schedule(() -> result.completeExceptionally(
				JsError.of(JsErrorType.ERROR, "Task timed out: " + name + " (" + millis + "ms)")), millis,
				TimeUnit.MILLISECONDS);
		result.whenComplete((value, failure) -> timer.cancel(false));
		return result;
	}

	/** "Task not found: name" for seed-era peers, Titan's 404 "Task with id name not found" for Titan peers. */
	static JsError taskNotFound(String name) {
		return Refusal.notFound(JsError.of(JsErrorType.ERROR, "Task not found: " + name), "Task", name);
	}

	private static void complete(CompletableFuture<@Nullable Object> result, @Nullable Object value,
			@Nullable Throwable failure) {
		if (failure == null) {
			result.complete(value);
		}
		else {
			result.completeExceptionally(Failures.unwrap(failure));
		}
	}

}
