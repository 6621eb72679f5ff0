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
	 * Whether a connection failed because the host's name could not be resolved (the JDK reports
	 * it as a {@code ConnectException} around an {@code UnresolvedAddressException}).
	 * @param failure a failure
	 * @return whether an unresolved address or unknown host is among its causes
	 */
	public static boolean isUnresolvedHost(Throwable failure) {
		for (Throwable link = failure; link != null; link = link.getCause()) {
			if (link instanceof java.nio.channels.UnresolvedAddressException || link instanceof java.net.UnknownHostException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * {@return what a user is told when {@link #isUnresolvedHost} holds}
	 * @param host the host name
	 */
	public static String unresolvedHost(String host) {
		return "the host '" + host + "' cannot be resolved (no such name, or no name server answered)";
	}

	/**
	 * The failure as a dependent stage of a failed {@code CompletableFuture} holds it: wrapped in a
	 * {@link CompletionException} unless it is one.
	 */
	static Throwable asCompletion(Throwable failure) {
		return (failure instanceof CompletionException) ? failure : new CompletionException(failure);
	}

}
