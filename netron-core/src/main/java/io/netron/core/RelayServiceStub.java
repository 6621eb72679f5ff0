package io.netron.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netron.protocol.Definition;

import org.jspecify.annotations.Nullable;

/**
 * A service a peer exposed into this node ({@code expose_service}): calls from other peers are
 * relayed to the owner as they came. What its definition takes is drawn from the node's memory
 * budget through the owner's connection until it is withdrawn.
 * @param definition the definition this node gave it
 * @param target the owner's service
 * @param memory the owner's connection's account, {@code null} when not accounted
 * @param memoryHeld the bytes drawn from it
 */
record RelayServiceStub(Definition definition, RemoteService target, MemoryBudget.@Nullable Account memory,
		long memoryHeld) implements ServiceStub {

	/** A relay that draws nothing (a sub-service another peer returned). */
	RelayServiceStub(Definition definition, RemoteService target) {
		this(definition, target, null, 0);
	}

	/** Gives back what the definition drew (once: call it where the stub is removed). */
	void giveBackMemory() {
		if (this.memory != null) {
			this.memory.give(this.memoryHeld);
		}
	}

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
