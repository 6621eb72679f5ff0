package io.netron.autoconfigure.clients;

import java.util.concurrent.CompletableFuture;

import io.netron.annotation.NetronClient;
import io.netron.annotation.NetronProperty;

@NetronClient(value = "calc@^1.0.0", peer = "calc")
public interface CalcClient {

	long add(long a, long b);

	CompletableFuture<Long> addAsync(long a, long b);

	@NetronProperty("version")
	String version();

	CounterClient counter();

	interface CounterClient {

		int increment();

	}

}
