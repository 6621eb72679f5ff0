package io.netron.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netron.protocol.Definition;

import org.jspecify.annotations.Nullable;

/**
 * A service a peer exposed into this node ({@code expose_service}): calls from other peers are
 * relayed to the owner as they came.
 */
record RelayServiceStub(Definition definition, RemoteService target) implements ServiceStub {

	@Override
	public CompletableFuture<@Nullable Object> call(RemotePeer caller, String method, List<@Nullable Object> args) {
		return this.target.invokeRaw(method, args.toArray());
	}

	@Override
	public CompletableFuture<@Nullable Object> get(RemotePeer caller, String property) {
		return this.target.getRaw(property);
	}

	@Override
	public CompletableFuture<@Nullable Object> set(RemotePeer caller, String property, @Nullable Object value) {
		return this.target.setRaw(property, value);
	}

	/** A relayed request only sends another: it never blocks. */
	@Override
	public boolean runsInline(String member) {
		return true;
	}

}
