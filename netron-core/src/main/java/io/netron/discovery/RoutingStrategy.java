package io.netron.discovery;

/**
 * How a discovery-routed client chooses among the nodes that offer its service.
 */
public enum RoutingStrategy {

	/** Each call goes to the next node in turn. */
	ROUND_ROBIN,

	/**
	 * Each call goes to the node this client has the fewest unanswered requests with (ties in
	 * turn), so that a slow or overloaded node gets less: what a fleet with uneven nodes needs.
	 */
	LEAST_IN_FLIGHT

}
