package io.netron.autoconfigure;

import io.netron.core.Netron;

/**
 * Customizes the auto-configured {@link Netron} node once it is created (add tasks, listen to
 * events), before any service is exposed.
 */
@FunctionalInterface
public interface NetronCustomizer {

	/**
	 * Customizes the node before it starts.
	 * @param netron the node
	 */
	void customize(Netron netron);

}
