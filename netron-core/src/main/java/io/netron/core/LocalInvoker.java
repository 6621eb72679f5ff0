package io.netron.core;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micrometer.observation.Observation;
import io.netron.observation.NetronRequestObservationContext;
import io.netron.observation.NetronRequestObservationContext.Outcome;
import io.netron.protocol.Definition;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.PacketType;
import io.netron.protocol.StreamReference;

import org.jspecify.annotations.Nullable;

/**
 * Calls of this node's services that come over no Netron connection (the HTTP transport): the
 * service resolved by name (versionless: the highest version), the same argument conversion,
 * {@link NetronContext}, security binding, observation and drain accounting as a call over a
 * WebSocket, served on the calling thread. Results a stateless caller cannot hold (streams,
 * sub-services) are refused; failures come back in the Titan generation's form.
 */
final class LocalInvoker {

	private final Netron netron;

	/** Stands for every stateless caller: never connected, so nothing can be held for it. */
	private final RemotePeer statelessCaller;

	LocalInvoker(Netron netron) {
		this.netron = netron;
		this.statelessCaller = new RemotePeer(netron, "http");
	}

	CompletableFuture<@Nullable Object> invoke(String service, String method, List<@Nullable Object> args,
			@Nullable Principal principal, String remoteAddress, String transport) {
		if (!this.netron.beginRequest()) {
			return failed(Refusal.error(Refusal.SERVICE_UNAVAILABLE,
					"Node " + this.netron.id() + " is shutting down: request refused"));
		}
		NetronContext context = null;
		Observation observation = Observation.NOOP;
		CompletableFuture<@Nullable Object> result;
		try {
			ServiceStub stub = stub(service);
			if (!stub.definition().meta().methods().containsKey(method)) {
				String message = "Method " + method + " not found in service " + stub.definition().meta().qualifiedName();
				throw Refusal.of(JsError.of(JsErrorType.TYPE_ERROR, message), Refusal.NOT_FOUND, message, Map.of());
			}
			context = new NetronContext(transport, remoteAddress, principal, PacketType.CALL,
					stub.definition().meta().qualifiedName(), method, this.netron.contextBinders(), 0);
			observation = this.netron.observeServed(context, NetronRequestObservationContext.HTTP);
			try (Observation.Scope observed = observation.openScope(); NetronContext.Scope scope = context.open()) {
				result = stub.call(this.statelessCaller, method, args);
			}
		}
		catch (Throwable ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		NetronContext served = context;
		Observation ended = observation;
		CompletableFuture<@Nullable Object> answer = new CompletableFuture<>();
		result.whenComplete((value, failure) -> {
			try {
				Throwable problem = (failure != null) ? failure : statelessProblem(value, service, method);
				if (failure == null && problem != null) {
					// nothing may stay bound to a caller that cannot come back for it
					this.statelessCaller.streams().closeAll(problem);
					this.netron.localPeer().releaseHolder(this.statelessCaller);
				}
				if (problem != null) {
					JsError error = Dialect.TITAN.wireError(this.netron.toJsError(problem, served));
					end(ended, error);
					answer.completeExceptionally(error);
				}
				else {
					end(ended, null);
					answer.complete(value);
				}
			}
			finally {
				this.netron.endRequest();
			}
		});
		return answer;
	}

	/** A versionless name picks the highest version, as Titan's HTTP transport does; a range too. */
	private ServiceStub stub(String service) {
		// an exact name@version (the usual request) is found without reading every service
		ServiceStub stub = (service.indexOf('@') > 0) ? this.netron.localPeer().findStub(service) : null;
		if (stub == null) {
			Map<String, Definition> services = this.netron.localPeer().services();
			String key = VersionResolver.resolve(services, service);
			stub = (key != null) ? this.netron.localPeer().findStub(services.get(key).id()) : null;
		}
		if (stub == null) {
			throw Refusal.of(JsError.of(JsErrorType.ERROR, "Unknown service: " + service + "."), Refusal.NOT_FOUND,
					"Service " + service + " not found", Map.of());
		}
		return stub;
	}

	/** What a stateless caller cannot receive: a stream, or a service by reference. */
	private static @Nullable Throwable statelessProblem(@Nullable Object value, String service, String method) {
		if (value instanceof StreamReference || value instanceof Definition) {
			String what = (value instanceof StreamReference) ? "a stream" : "a service by reference";
			return Refusal.error(Refusal.BAD_REQUEST, "Method " + method + " of " + service + " returns " + what
					+ ": streams, events and sub-services need a WebSocket connection (ws://.../netron)");
		}
		return null;
	}

	private void end(Observation observation, @Nullable JsError error) {
		if (observation.isNoop()) {
			return;
		}
		if (observation.getContext() instanceof NetronRequestObservationContext context) {
			context.setEnd((error != null) ? Outcome.ERROR : Outcome.SUCCESS,
					this.netron.observedErrorName((error != null) ? error.name() : null));
		}
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

	private static CompletableFuture<@Nullable Object> failed(JsError refusal) {
		return CompletableFuture.failedFuture(Dialect.TITAN.wireError(refusal));
	}

}
