package io.netron.core;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The failure behind the wrappers futures and reflection put around it.
 */
public final class Failures {

	private Failures() {
	}

	/**
	 * Unwraps {@link CompletionException}, {@link ExecutionException} and {@link InvocationTargetException}.
	 * @param failure a failure
	 * @return the failure inside the wrappers
	 */
	public static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException
				|| current instanceof InvocationTargetException) && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * The failure as a dependent stage of a failed {@code CompletableFuture} holds it: wrapped in a
	 * {@link CompletionException} unless it is one.
	 */
	static Throwable asCompletion(Throwable failure) {
		return (failure instanceof CompletionException) ? failure : new CompletionException(failure);
	}

}
