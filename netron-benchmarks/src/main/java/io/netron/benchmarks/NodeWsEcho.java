package io.netron.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference the issue of speed measures against: a raw WebSocket echo pair on Node.js and the
 * {@code ws} package (which the TypeScript Netron runs on), server and client in processes of their
 * own, the same frames as the Java raw echo. Runs where {@code node} and {@code npm} are on the
 * path; {@code ws} is installed from npm into {@code netron-benchmarks/src/main/node} on first use.
 */
final class NodeWsEcho implements AutoCloseable {

	private final Path scripts;

	private final Process server;

	private final int port;

	private NodeWsEcho(Path scripts, Process server, int port) {
		this.scripts = scripts;
		this.server = server;
		this.port = port;
	}

	/** {@return the scripts' folder, or {@code null} (and why, printed) when Node.js cannot run them} */
	static Path scripts() {
		Path scripts = Path.of(System.getProperty("netron.bench.node-dir", "netron-benchmarks/src/main/node"));
		if (!Files.isRegularFile(scripts.resolve("ws-echo-server.js"))) {
			System.out.println("Node.js reference left out: no " + scripts.resolve("ws-echo-server.js")
					+ " (run from the repository's root, or set -Dnetron.bench.node-dir)");
			return null;
		}
		try {
			if (new ProcessBuilder("node", "--version").redirectErrorStream(true).start().waitFor() != 0) {
				throw new IOException("node --version failed");
			}
			if (!Files.isDirectory(scripts.resolve("node_modules/ws"))) {
				System.out.println("Installing ws from npm into " + scripts + " ...");
				Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
					.directory(scripts.toFile())
					.inheritIO()
					.start();
				if (npm.waitFor() != 0) {
					throw new IOException("npm install failed");
				}
			}
			return scripts;
		}
		catch (IOException ex) {
			System.out.println("Node.js reference left out: " + ex.getMessage());
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** Starts the Node server, answering every message with {@code reply}. */
	static NodeWsEcho start(Path scripts, byte[] reply) throws IOException {
		Process server = new ProcessBuilder("node", "ws-echo-server.js", "0", HexFormat.of().formatHex(reply))
			.directory(scripts.toFile())
			.redirectErrorStream(true)
			.start();
		BufferedReader output = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
		String line = output.readLine();
		if (line == null || !line.startsWith("READY ")) {
			server.destroy();
			throw new IOException("The Node.js echo server did not start: " + line);
		}
		return new NodeWsEcho(scripts, server, Integer.parseInt(line.substring("READY ".length()).trim()));
	}

	/**
	 * Runs the Node client against the Node server.
	 * @return {@code {answered, elapsed nanoseconds, p50 us, p99 us}}
	 */
	long[] run(byte[] frame, int inFlight, Duration duration) throws IOException, InterruptedException {
		Process client = new ProcessBuilder(List.of("node", "ws-echo-client.js", "ws://127.0.0.1:" + this.port,
				HexFormat.of().formatHex(frame), Integer.toString(inFlight), Double.toString(duration.toMillis() / 1000.0)))
			.directory(this.scripts.toFile())
			.redirectErrorStream(true)
			.start();
		String result = null;
		try (BufferedReader output = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				if (line.startsWith("RESULT ")) {
					result = line;
				}
			}
		}
		if (!client.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || result == null) {
			client.destroyForcibly();
			throw new IOException("The Node.js echo client gave no result");
		}
		String[] fields = result.split(" ");
		return new long[] { Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]),
				Long.parseLong(fields[4]) };
	}

	@Override
	public void close() throws InterruptedException {
		this.server.destroy();
		this.server.waitFor(5, TimeUnit.SECONDS);
	}

}
