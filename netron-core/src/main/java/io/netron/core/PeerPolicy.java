package io.netron.core;

import java.security.Principal;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.PatternMatchUtils;

/**
 * What remote peers may do to this node beyond calling its services. The defaults keep what
 * TypeScript meshes rely on, except that a peer can never shadow a service this node serves.
 *
 * @param remoteExposure whether peers may expose services through this node (the
 * {@code expose_service} task), so that its callers are relayed to them
 * @param exposingPrincipals the principals allowed to expose services; empty for any peer,
 * authenticated or not
 * @param exposableServices the service names peers may expose, as patterns ({@code *} matches any
 * text, such as {@code "reports-*"})
 * @param remoteMayShadowLocal whether a peer may expose a service under the name of a service this
 * node serves itself (any version): when it may, callers resolving the name by version range may
 * be relayed to the peer
 * @param subscribableEvents the events peers may subscribe to, as patterns; {@code peer:connect}
 * and {@code peer:disconnect} tell a subscriber the id of every other peer
 * @param maxExposedServices the most services one peer may expose through this node at once
 * @param maxDefinitionSize the largest definition a peer may expose, in estimated bytes (names and
 * types of its members)
 */
public record PeerPolicy(boolean remoteExposure, Set<String> exposingPrincipals, List<String> exposableServices,
		boolean remoteMayShadowLocal, List<String> subscribableEvents, int maxExposedServices, int maxDefinitionSize) {

	/** Default of {@link #maxExposedServices()}. */
	public static final int DEFAULT_MAX_EXPOSED_SERVICES = 64;

	/** Default of {@link #maxDefinitionSize()}: 64 KiB. */
	public static final int DEFAULT_MAX_DEFINITION_SIZE = 64 * 1024;

	/**
	 * Copies the lists.
	 * @param remoteExposure whether peers may expose services through this node
	 * @param exposingPrincipals the principals allowed to expose services, empty for any
	 * @param exposableServices the service names peers may expose, as patterns
	 * @param remoteMayShadowLocal whether a peer may expose a name this node serves itself
	 * @param subscribableEvents the events peers may subscribe to, as patterns
	 * @param maxExposedServices the most services one peer may expose at once
	 * @param maxDefinitionSize the largest definition a peer may expose, in estimated bytes
	 */
	public PeerPolicy {
		if (maxExposedServices < 0 || maxDefinitionSize <= 0) {
			throw new IllegalArgumentException("maxExposedServices must be 0 or more and maxDefinitionSize positive");
		}
		exposingPrincipals = Set.copyOf(Objects.requireNonNull(exposingPrincipals, "exposingPrincipals"));
		exposableServices = List.copyOf(Objects.requireNonNull(exposableServices, "exposableServices"));
		subscribableEvents = List.copyOf(Objects.requireNonNull(subscribableEvents, "subscribableEvents"));
	}

	/**
	 * A policy with the default bounds on exposed services (64 per peer, 64 KiB each).
	 * @param remoteExposure whether peers may expose services through this node
	 * @param exposingPrincipals the principals allowed to expose services, empty for any
	 * @param exposableServices the service names peers may expose, as patterns
	 * @param remoteMayShadowLocal whether a peer may expose a name this node serves itself
	 * @param subscribableEvents the events peers may subscribe to, as patterns
	 */
	public PeerPolicy(boolean remoteExposure, Set<String> exposingPrincipals, List<String> exposableServices,
			boolean remoteMayShadowLocal, List<String> subscribableEvents) {
		this(remoteExposure, exposingPrincipals, exposableServices, remoteMayShadowLocal, subscribableEvents,
				DEFAULT_MAX_EXPOSED_SERVICES, DEFAULT_MAX_DEFINITION_SIZE);
	}

	/**
	 * The defaults: any peer may expose any service name this node does not serve itself, and
	 * subscribe to any event (as in the TypeScript Netron).
	 * @return the defaults
	 */
	public static PeerPolicy defaults() {
		return new PeerPolicy(true, Set.of(), List.of("*"), false, List.of("*"));
	}

	/**
	 * Whether a peer may expose a service name here.
	 * @param principal who the peer authenticated as, {@code null} if it did not
	 * @param serviceName the service's name (without version)
	 * @return the reason it may not, or {@code null} when it may
	 */
	@Nullable String refuseExposure(@Nullable Principal principal, String serviceName) {
		if (!this.remoteExposure) {
			return "remote exposure is disabled (netron.remote-exposure.enabled)";
		}
		if (!this.exposingPrincipals.isEmpty()
				&& (principal == null || !this.exposingPrincipals.contains(principal.getName()))) {
			return ((principal != null) ? "principal '" + principal.getName() + "'" : "an unauthenticated peer")
					+ " may not expose services (netron.remote-exposure.principals)";
		}
		if (!matches(this.exposableServices, serviceName)) {
			return "service '" + serviceName + "' may not be exposed by peers (netron.remote-exposure.services)";
		}
		return null;
	}

	/**
	 * Whether peers may subscribe to an event.
	 * @param event the event's name
	 * @return whether they may
	 */
	boolean maySubscribe(String event) {
		return matches(this.subscribableEvents, event);
	}

	private static boolean matches(List<String> patterns, String name) {
		for (String pattern : patterns) {
			if (PatternMatchUtils.simpleMatch(pattern, name)) {
				return true;
			}
		}
		return false;
	}

}
