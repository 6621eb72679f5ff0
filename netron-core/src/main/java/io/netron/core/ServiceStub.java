package io.netron.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netron.protocol.Definition;

import org.jspecify.annotations.Nullable;

/**
 * A service as the serving node holds it: a local object, or a relay to a service another peer
 * exposed into this node. Results are ready for the wire.
 */
sealed interface ServiceStub permits LocalServiceStub, RelayServiceStub {

	Definition definition();

	/** The object behind the stub: the service instance, or the {@link RemoteService} relayed to. */
	Object target();

	CompletableFuture<@Nullable Object> call(RemotePeer caller, String method, List<@Nullable Object> args);

	CompletableFuture<@Nullable Object> get(RemotePeer caller, String property);

	CompletableFuture<@Nullable Object> set(RemotePeer caller, String property, @Nullable Object value);

	/**
	 * Whether a member is served on the thread that received the request, with no hand-off to a
	 * worker ({@link io.netron.annotation.Execution#INLINE}).
	 * @param member a method or property name
	 * @return whether it runs inline
	 */
	boolean runsInline(String member);

}
