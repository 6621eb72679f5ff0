package io.netron.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary inside embedded-redis) on a free loopback port, which tests
 * can stop and start again on the same port.
 */
final class EmbeddedRedis implements AutoCloseable {

	private final int port;

	private RedisServer server;

	EmbeddedRedis() {
		this.port = freePort();
		start();
	}

	int port() {
		return this.port;
	}

	void start() {
		try {
			this.server = RedisServer.newRedisServer().port(this.port).bind("127.0.0.1").setting("save \"\"")
				.setting("appendonly no").build();
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void stop() {
		try {
			this.server.stop();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		stop();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
