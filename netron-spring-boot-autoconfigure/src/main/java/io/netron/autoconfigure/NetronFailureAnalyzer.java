package io.netron.autoconfigure;

import io.netron.core.InvalidServiceException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains Netron configuration failures at startup: what is wrong and what to change.
 */
class NetronFailureAnalyzer extends AbstractFailureAnalyzer<io.netron.NetronException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, io.netron.NetronException cause) {
		if (cause instanceof NetronConfigurationException configuration) {
			return new FailureAnalysis(configuration.getMessage(), configuration.action(), cause);
		}
		if (cause instanceof InvalidServiceException) {
			return new FailureAnalysis("A Netron service cannot be exposed: " + cause.getMessage(),
					"Fix the @NetronService class: its name must be latin letters and digits in dot-separated parts, "
							+ "its version a semantic version (such as 1.2.3), its @Public method names unique, and "
							+ "each service name@version exposed once (a @NetronService class is a @Component: a @Bean "
							+ "method for a class that component scanning also finds registers it twice).",
					cause);
		}
		return null;
	}

}
