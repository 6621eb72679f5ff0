package io.netron.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.netron.core.Connection;
import io.netron.core.ConnectionListener;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.core.RemotePeer;
import io.netron.core.RemoteService;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import io.netron.stream.NetronReadableStream;
import io.netron.stream.NetronWritableStream;
import io.netron.transport.JdkWebSocketConnector;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load benchmark: starts {@link BenchServer} in a separate JVM on a free loopback port,
 * measures from this JVM, prints a table, and stops the server. Every loop is bounded in time.
 *
 * <pre>
 * mvn -B -ntp -pl netron-benchmarks -am package -DskipTests
 * java -jar netron-benchmarks/target/netron-benchmarks-0.1.0-SNAPSHOT.jar [--quick] [--echo-only | --busy-only | --streams-only | --client-stacks]
 *     [--java JDK_HOME]
 *     [--observed | --observed-netron | --observed-no-ltt | --observed-empty]
 * </pre>
 */
public final class LoadBenchmark {

	private static final int RUNS = 3;

	private final Duration runTime;

	/** {@code --netty-client}: the client nodes connect with Reactor Netty's WebSocket client, not the JDK's. */
	private boolean nettyClient;

	private final Duration warmup;

	private final int idleConnections;

	private final int busyConnections;

	private final PacketCodec codec = new PacketCodec();

	private final List<String[]> rows = new ArrayList<>();

	/** How the client node observes its requests too ({@code --observed...}), or {@code null}. */
	private String observed;

	private LoadBenchmark(boolean quick) {
		this.runTime = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(3);
		this.warmup = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(4);
		this.idleConnections = quick ? 1_000 : 10_000;
		this.busyConnections = quick ? 200 : 1_000;
	}

	public static void main(String[] args) throws Exception {
		String otherJava = javaOption(args);
		boolean defaultHeap = jvmFlags().stream().noneMatch((flag) -> flag.startsWith("-Xmx"));
		if (otherJava != null || defaultHeap) {
			// both JVMs on the same JDK with the same flags: this one is started again to match
			System.exit(relaunch((otherJava != null) ? otherJava : System.getProperty("java.home"), args));
		}
		boolean quick = List.of(args).contains("--quick");
		String observed = BenchServer.observedMode(args);
		int port = freePort();
		boolean reactive = List.of(args).contains("--reactive");
		Process server = startServer(port, observed, reactive);
		try {
			LoadBenchmark benchmark = new LoadBenchmark(quick);
			benchmark.observed = observed;
			benchmark.nettyClient = List.of(args).contains("--netty-client");
			System.out.println("Client nodes: " + (benchmark.nettyClient ? "Reactor Netty WebSocket client (--netty-client)"
					: "JDK WebSocket client"));
			printSetup(observed);
			System.out.println("Server stack: " + (reactive ? "Spring WebFlux on Reactor Netty (--reactive)"
					: "Spring WebSocket on Tomcat (servlet)"));
			if (List.of(args).contains("--client-stacks")) {
				benchmark.runClientStacks("ws://127.0.0.1:" + port);
			}
			else if (List.of(args).contains("--streams-only")) {
				benchmark.runStreamsOnly("ws://127.0.0.1:" + port);
			}
			else if (List.of(args).contains("--busy-only")) {
				benchmark.runBusyOnly("ws://127.0.0.1:" + port);
			}
			else if (List.of(args).contains("--versus-node")) {
				benchmark.runVersusNode("ws://127.0.0.1:" + port);
			}
			else if (List.of(args).contains("--echo-only")) {
				benchmark.runEchoOnly("ws://127.0.0.1:" + port);
			}
			else if (List.of(args).contains("--http")) {
				benchmark.runHttp("ws://127.0.0.1:" + port, "http://127.0.0.1:" + port);
			}
			else {
				benchmark.run("ws://127.0.0.1:" + port);
			}
		}
		finally {
			server.destroy();
			server.waitFor(10, TimeUnit.SECONDS);
		}
	}

	/** {@code --java DIR}: the JDK both JVMs run on, such as /usr/lib/jvm/temurin-25-jdk-amd64. */
	private static String javaOption(String[] args) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals("--java")) {
				return args[i + 1];
			}
		}
		return null;
	}

	/** Runs this benchmark again on another JDK (its server then runs on it too), with the same flags. */
	private static int relaunch(String javaHome, String[] args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString()));
		command.addAll(serverFlags());
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadBenchmark.class.getName()));
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("--java")) {
				i++;
				continue;
			}
			command.add(args[i]);
		}
		return new ProcessBuilder(command).inheritIO().start().waitFor();
	}

	/**
	 * The flags this JVM was started with: the server gets the same ones, so that both sides run
	 * alike (heap, GC, JIT). Without an {@code -Xmx}, this JVM starts again with 2 GB, as the server.
	 */
	private static List<String> jvmFlags() {
		List<String> flags = new ArrayList<>();
		for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
			if (!flag.startsWith("-agentlib") && !flag.startsWith("-javaagent")) {
				flags.add(flag);
			}
		}
		return flags;
	}

	private static void printSetup(String observed) {
		List<String> gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map((gc) -> gc.getName()).toList();
		System.out.printf(Locale.ROOT, "Machine: %d cores. Both JVMs: %s %s (%s), GC %s, flags %s%n",
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
				System.getProperty("java.version"), System.getProperty("java.home"), gcs, serverFlags());
		System.out.println("Instrumentation: " + ((observed != null)
				? "on (" + observed + ": both sides observe every request)" : "off"));
	}

	private static List<String> serverFlags() {
		List<String> flags = jvmFlags();
		if (flags.stream().noneMatch((flag) -> flag.startsWith("-Xmx"))) {
			flags.add("-Xmx2g");
		}
		return flags;
	}

	private static Process startServer(int port, String observed, boolean reactive)
			throws IOException, InterruptedException {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		List<String> command = new ArrayList<>(List.of(java));
		command.addAll(serverFlags());
		// extra server JVM options, for profiling: BENCH_SERVER_OPTS="-XX:StartFlightRecording=..."
		String extra = System.getenv("BENCH_SERVER_OPTS");
		if (extra != null && !extra.isBlank()) {
			command.addAll(List.of(extra.trim().split("\\s+")));
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchServer.class.getName(),
				Integer.toString(port)));
		if (observed != null) {
			command.add(observed);
		}
		if (reactive) {
			command.add("--reactive");
		}
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.redirectErrorStream(true);
		Process process = builder.start();
		BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		String line;
		while ((line = output.readLine()) != null) {
			if (line.contains("BENCH SERVER READY")) {
				Thread drain = new Thread(() -> {
					try {
						output.lines().forEach((ignored) -> { });
					}
					catch (java.io.UncheckedIOException ex) {
						// the server stopped
					}
				}, "bench-server-output");
				drain.setDaemon(true);
				drain.start();
				return process;
			}
			if (System.nanoTime() > deadline) {
				break;
			}
		}
		process.destroy();
		throw new IllegalStateException("The benchmark server did not start");
	}

	private void run(String base) throws Exception {
		System.out.println("Netron load benchmark: server and client in separate JVMs");
		try (Netron safe = clientNode(false); Netron direct = clientNode(true)) {
			RemotePeer peer = direct.connect(base + "/netron").join();
			RemoteService fast = peer.queryInterface("bench@1.0.0");
			RemoteService defaults = safe.connect(base + "/netron").join().queryInterface("bench@1.0.0");
			byte[] callFrame = this.codec.encode(Packet.request(1, PacketType.CALL,
					List.of(fast.definition().id(), "echo", "hello")));
			System.out.printf(Locale.ROOT, "echo(\"hello\"): request %d bytes, response %d bytes%n", callFrame.length,
					this.codec.encode(Packet.response(1, PacketType.CALL, "hello")).length);
			echo(fast, "echo", 16, this.warmup);
			echo(defaults, "echoOnWorker", 16, this.warmup);
			raw(base + "/raw", callFrame, 16, this.warmup);
			Result inline256 = null;
			for (int inFlight : new int[] { 1, 16, 256 }) {
				Result raw = median(() -> raw(base + "/raw", callFrame, inFlight, this.runTime));
				row("raw WebSocket echo, " + inFlight + " in flight", raw, null);
				Result inline = median(() -> echo(fast, "echo", inFlight, this.runTime));
				row("echo, " + inFlight + " in flight: INLINE, direct callbacks", inline, raw);
				row("echo, " + inFlight + " in flight: INLINE, default callbacks",
						median(() -> echo(defaults, "echo", inFlight, this.runTime)), raw);
				row("echo, " + inFlight + " in flight: WORKER, default callbacks",
						median(() -> echo(defaults, "echoOnWorker", inFlight, this.runTime)), raw);
				inline256 = inline;
			}
			streams(fast, defaults);
			Result rawBusy = rawBusy(base + "/raw", callFrame, this.busyConnections);
			row("raw WebSocket echo, " + this.busyConnections + " connections, 1 in flight each", rawBusy, null);
			Result busy = busy(direct, base + "/netron", this.busyConnections);
			add(new String[] { this.busyConnections + " connections, 1 call in flight each (INLINE, direct)",
					String.format(Locale.ROOT, "%,.0f calls/s", busy.perSecond()), busy.runs(),
					String.format(Locale.ROOT, "%.0f%%, %.0f%% of 256", 100.0 * busy.perSecond() / rawBusy.perSecond(),
							100.0 * busy.perSecond() / inline256.perSecond()),
					fmt(busy.p50()), fmt(busy.p99()), fmt(busy.p999()) });
			double perConnection = idle(peer, base + "/netron", this.idleConnections);
			add(new String[] { this.idleConnections + " idle connections, server heap per connection",
					String.format(Locale.ROOT, "%,.1f KB", perConnection / 1024), "", "", "", "", "" });
		}
	}

	/**
	 * The raw echo with two client stacks against the same server endpoint: the JDK's
	 * {@code java.net.http} client (the starter's) and Reactor Netty's.
	 */
	private void runClientStacks(String base) throws Exception {
		byte[] frame = this.codec.encode(Packet.request(1, PacketType.CALL, List.of("x", "echo", "hello")));
		raw(base + "/raw", frame, 16, this.warmup);
		ReactorNettyEcho.run(base + "/raw", frame, 16, this.warmup);
		for (int inFlight : new int[] { 1, 16, 256 }) {
			Result jdk = median(() -> raw(base + "/raw", frame, inFlight, this.runTime));
			row("raw echo, " + inFlight + " in flight: JDK client", jdk, null);
			row("raw echo, " + inFlight + " in flight: Reactor Netty client", median(() -> {
				Object[] outcome = ReactorNettyEcho.run(base + "/raw", frame, inFlight, this.runTime);
				long[] counts = (long[]) outcome[0];
				return new Result(counts[0], counts[1], (Histogram) outcome[1]);
			}), jdk);
		}
	}

	/** Only the stream rows. */
	private void runStreamsOnly(String base) throws Exception {
		try (Netron safe = clientNode(false); Netron direct = clientNode(true)) {
			streams(direct.connect(base + "/netron").join().queryInterface("bench@1.0.0"),
					safe.connect(base + "/netron").join().queryInterface("bench@1.0.0"));
		}
	}

	/** One stream each way, read by a node with direct callbacks and by one with the defaults. */
	private void streams(RemoteService direct, RemoteService defaults) throws Exception {
		for (RemoteService bench : List.of(defaults, direct)) {
			String mode = (bench == direct) ? "direct callbacks" : "default callbacks";
			// warmed up like the calls: the first stream of a JVM runs its code cold
			stream(bench, 100_000);
			streamArgument(bench, 100_000);
			Result stream = median(() -> stream(bench, 100_000));
			add(new String[] { "stream, server to client, read with " + mode,
					String.format(Locale.ROOT, "%,.0f chunks/s", stream.perSecond()), stream.runs(), "", "", "", "" });
			if (bench == defaults) {
				// the serving node reads it, on its workers (the bench server's defaults)
				Result upload = median(() -> streamArgument(bench, 100_000));
				add(new String[] { "stream argument of 100,000 int chunks, client to server",
						String.format(Locale.ROOT, "%,.0f chunks/s", upload.perSecond()), upload.runs(), "", "", "", "" });
			}
		}
	}

	/** Only the many-connections rows, Netron and raw. */
	private void runBusyOnly(String base) throws Exception {
		byte[] callFrame;
		try (Netron direct = clientNode(true)) {
			RemoteService fast = direct.connect(base + "/netron").join().queryInterface("bench@1.0.0");
			callFrame = this.codec.encode(Packet.request(1, PacketType.CALL, List.of(fast.definition().id(), "echo", "hello")));
			Result rawBusy = rawBusy(base + "/raw", callFrame, this.busyConnections);
			row("raw WebSocket echo, " + this.busyConnections + " connections, 1 in flight each", rawBusy, null);
			row(this.busyConnections + " connections, 1 call in flight each (INLINE, direct)",
					busy(direct, base + "/netron", this.busyConnections), rawBusy);
		}
	}

	/**
	 * The goals of speed, in one sitting: a raw WebSocket echo pair on Node.js and {@code ws} (the
	 * peer to outrun), then Netron's echo with INLINE members and direct callbacks and with the
	 * defaults (WORKER, default callbacks), at 1, 16 and 256 in flight, each as a share of the Node
	 * pair's figure. The server stack is the one chosen with {@code --reactive} or not.
	 */
	private void runVersusNode(String base) throws Exception {
		java.nio.file.Path scripts = NodeWsEcho.scripts();
		try (Netron safe = clientNode(false); Netron direct = clientNode(true)) {
			RemoteService fast = direct.connect(base + "/netron").join().queryInterface("bench@1.0.0");
			RemoteService defaults = safe.connect(base + "/netron").join().queryInterface("bench@1.0.0");
			byte[] callFrame = this.codec.encode(Packet.request(1, PacketType.CALL,
					List.of(fast.definition().id(), "echo", "hello")));
			byte[] reply = this.codec.encode(Packet.response(1, PacketType.CALL, "hello"));
			echo(fast, "echo", 16, this.warmup);
			echo(defaults, "echoOnWorker", 16, this.warmup);
			NodeWsEcho node = (scripts != null) ? NodeWsEcho.start(scripts, reply) : null;
			try {
				if (node != null) {
					node.run(callFrame, 16, this.warmup);
				}
				for (int inFlight : new int[] { 1, 16, 256 }) {
					Result reference = null;
					if (node != null) {
						long[][] last = new long[1][];
						reference = median(() -> {
							last[0] = node.run(callFrame, inFlight, this.runTime);
							return new Result(last[0][0], last[0][1], null);
						});
						add(new String[] { "raw Node.js ws echo pair, " + inFlight + " in flight",
								String.format(Locale.ROOT, "%,.0f /s", reference.perSecond()), reference.runs(), "",
								fmt(last[0][2]), fmt(last[0][3]), "" });
					}
					row("echo, " + inFlight + " in flight: INLINE, direct callbacks",
							median(() -> echo(fast, "echo", inFlight, this.runTime)), reference);
					row("echo, " + inFlight + " in flight: WORKER, default callbacks",
							median(() -> echo(defaults, "echoOnWorker", inFlight, this.runTime)), reference);
				}
			}
			finally {
				if (node != null) {
					node.close();
				}
			}
		}
	}

	/** Only the echo at 16 and 256 in flight: for profiling and for comparing builds. */
	private void runEchoOnly(String base) throws Exception {
		try (Netron safe = clientNode(false); Netron direct = clientNode(true)) {
			RemoteService fast = direct.connect(base + "/netron").join().queryInterface("bench@1.0.0");
			RemoteService defaults = safe.connect(base + "/netron").join().queryInterface("bench@1.0.0");
			echo(fast, "echo", 16, this.warmup);
			echo(defaults, "echoOnWorker", 16, this.warmup);
			for (int inFlight : new int[] { 16, 256 }) {
				row("echo, " + inFlight + " in flight: INLINE, direct callbacks",
						median(() -> echo(fast, "echo", inFlight, this.runTime)), null);
				row("echo, " + inFlight + " in flight: WORKER, default callbacks",
						median(() -> echo(defaults, "echoOnWorker", inFlight, this.runTime)), null);
			}
		}
	}

	/**
	 * The HTTP transport's {@code POST /netron/invoke} of the WORKER echo at 16 and 256 concurrent
	 * requests, next to the same echo over the WebSocket with the defaults, in the same sitting. The
	 * HTTP client is a thread per connection writing each request in one write on a kept-alive
	 * socket with TCP_NODELAY: the JDK HTTP client took 5-7 ms per sequential request on loopback
	 * whatever the server did (Python's http.client: 0.7 ms), which would measure the client.
	 */
	private void runHttp(String wsBase, String httpBase) throws Exception {
		java.net.URI invoke = java.net.URI.create(httpBase + "/netron/invoke");
		try (Netron safe = clientNode(false)) {
			RemoteService defaults = safe.connect(wsBase + "/netron").join().queryInterface("bench@1.0.0");
			echo(defaults, "echoOnWorker", 16, this.warmup);
			httpEcho(invoke, 16, this.warmup);
			for (int inFlight : new int[] { 16, 256 }) {
				Result overWebSocket = median(() -> echo(defaults, "echoOnWorker", inFlight, this.runTime));
				row("echo, " + inFlight + " in flight: WebSocket, WORKER, default callbacks", overWebSocket, null);
				row("echo, " + inFlight + " concurrent: HTTP POST /netron/invoke", median(() -> httpEcho(invoke, inFlight,
						this.runTime)), overWebSocket);
			}
		}
	}

	private Result httpEcho(java.net.URI invoke, int concurrency, Duration duration) throws Exception {
		byte[] body = "{\"id\":\"1\",\"service\":\"bench@1.0.0\",\"method\":\"echoOnWorker\",\"input\":\"hello\"}"
			.getBytes(StandardCharsets.UTF_8);
		byte[] request = ("POST " + invoke.getPath() + " HTTP/1.1\r\nHost: " + invoke.getAuthority()
				+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"
				+ new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
		Histogram latencies = new ConcurrentHistogram(1, TimeUnit.SECONDS.toMicros(60), 3);
		AtomicLong done = new AtomicLong();
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		List<Thread> threads = new ArrayList<>();
		List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			Thread thread = new Thread(() -> {
				try {
					while (System.nanoTime() < deadline) {
						// a new connection when the server ends one (Tomcat: 100 requests per connection)
						try (java.net.Socket socket = new java.net.Socket(invoke.getHost(), invoke.getPort())) {
							socket.setTcpNoDelay(true);
							java.io.OutputStream out = socket.getOutputStream();
							java.io.BufferedInputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
							boolean open = true;
							while (open && System.nanoTime() < deadline) {
								long sent = System.nanoTime();
								out.write(request);
								out.flush();
								open = readResponse(in);
								latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
								done.incrementAndGet();
							}
						}
					}
				}
				catch (Exception ex) {
					failures.add(ex);
				}
			}, "http-client-" + i);
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		if (!failures.isEmpty()) {
			throw new IllegalStateException("HTTP calls failed: " + failures.get(0), failures.get(0));
		}
		return new Result(done.get(), System.nanoTime() - start, latencies);
	}

	/**
	 * Reads one response: its status line and headers, then Content-Length bytes; fails unless 200.
	 * @return whether the connection stays open
	 */
	private static boolean readResponse(java.io.BufferedInputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		int previous = -1;
		int newlines = 0;
		while (newlines < 2) {
			int next = in.read();
			if (next < 0) {
				throw new IOException("Connection closed in a response");
			}
			head.append((char) next);
			if (next == '\n') {
				newlines = (previous == '\r' || previous == '\n') ? newlines + 1 : 1;
			}
			else if (next != '\r') {
				newlines = 0;
			}
			previous = next;
		}
		String headers = head.toString();
		if (!headers.startsWith("HTTP/1.1 200")) {
			throw new IOException("Unexpected response: " + headers.lines().findFirst().orElse(""));
		}
		int length = 0;
		boolean open = true;
		for (String line : headers.split("\r\n")) {
			if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
				length = Integer.parseInt(line.substring(15).strip());
			}
			else if (line.regionMatches(true, 0, "Connection:", 0, 11) && line.toLowerCase(Locale.ROOT).contains("close")) {
				open = false;
			}
		}
		in.readNBytes(length);
		return open;
	}

	/** A client node; {@code direct}: callbacks run on the thread that read the answer. */
	private Netron clientNode(boolean direct) {
		NetronOptions options = NetronOptions.defaults().withRequestTimeout(Duration.ofSeconds(30))
			.withDirectCallbacks(direct);
		Netron client = new Netron(options, this.nettyClient
				? new io.netron.transport.ReactorNettyConnector(options.maxMessageSize(), options.sendBufferSize())
				: new JdkWebSocketConnector(options.maxMessageSize(), options.sendBufferSize()));
		if (this.observed != null) {
			client.setObservationRegistry(BenchServer.observations(this.observed));
		}
		return client;
	}

	// ------------------------------------------------------------------ scenarios

	private Result echo(RemoteService bench, String method, int inFlight, Duration duration) throws InterruptedException {
		Histogram latencies = new ConcurrentHistogram(1, TimeUnit.SECONDS.toMicros(60), 3);
		AtomicLong done = new AtomicLong();
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		CountDownLatch finished = new CountDownLatch(inFlight);
		for (int i = 0; i < inFlight; i++) {
			issue(bench, method, latencies, done, deadline, finished);
		}
		if (!finished.await(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("echo calls did not finish");
		}
		return new Result(done.get(), System.nanoTime() - start, latencies);
	}

	private void issue(RemoteService bench, String method, Histogram latencies, AtomicLong done, long deadline,
			CountDownLatch finished) {
		long sent = System.nanoTime();
		if (sent > deadline) {
			finished.countDown();
			return;
		}
		bench.call(method, "hello").whenComplete((value, failure) -> {
			if (failure != null) {
				System.err.println("echo failed: " + failure);
				finished.countDown();
				return;
			}
			latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
			done.incrementAndGet();
			issue(bench, method, latencies, done, deadline, finished);
		});
	}

	/** The same frames over a bare WebSocket on the same server stack and client library. */
	private Result raw(String uri, byte[] frame, int inFlight, Duration duration) throws Exception {
		Histogram latencies = new Histogram(1, TimeUnit.SECONDS.toMicros(60), 3);
		ArrayDeque<Long> sentAt = new ArrayDeque<>();
		AtomicLong done = new AtomicLong();
		CompletableFuture<Void> finished = new CompletableFuture<>();
		long[] window = new long[2];
		JdkWebSocketConnector connector = new JdkWebSocketConnector(1 << 20, 64 << 20);
		Connection[] connection = new Connection[1];
		ConnectionListener listener = new ConnectionListener() {

			private int outstanding;

			@Override
			public void onOpen(Connection opened) {
				connection[0] = opened;
			}

			@Override
			public void onBinary(byte[] reply) {
				long now = System.nanoTime();
				Long sent = sentAt.poll();
				if (sent != null) {
					latencies.recordValue(Math.max(1, (now - sent) / 1000));
				}
				done.incrementAndGet();
				this.outstanding--;
				if (now < window[1]) {
					sentAt.add(now);
					this.outstanding++;
					connection[0].send(frame);
				}
				else if (this.outstanding == 0) {
					finished.complete(null);
				}
			}

			@Override
			public void onText(String text) {
				window[0] = System.nanoTime();
				window[1] = window[0] + duration.toNanos();
				for (int i = 0; i < inFlight; i++) {
					sentAt.add(System.nanoTime());
					this.outstanding++;
					connection[0].send(frame);
				}
			}

			@Override
			public void onClose(int code, String reason) {
				finished.completeExceptionally(new IllegalStateException("raw echo closed: " + code + " " + reason));
			}

		};
		connector.connect(URI.create(uri + "?id=raw"), Duration.ofSeconds(5), listener).join();
		// the raw endpoint sends no handshake frame: start at once
		listener.onText("start");
		finished.get(duration.toSeconds() + 30, TimeUnit.SECONDS);
		long elapsed = System.nanoTime() - window[0];
		connection[0].close(1000, "done");
		return new Result(done.get(), elapsed, latencies);
	}

	/**
	 * The raw echo over many connections at once, one message in flight on each: the ceiling of
	 * the many-connections row on this server stack and client library.
	 */
	private Result rawBusy(String uri, byte[] frame, int connections) throws Exception {
		JdkWebSocketConnector connector = new JdkWebSocketConnector(1 << 16, 1 << 20);
		List<RawClient> clients = new ArrayList<>();
		List<CompletableFuture<Connection>> opening = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			RawClient client = new RawClient(frame);
			clients.add(client);
			opening.add(connector.connect(URI.create(uri + "?id=raw-" + i), Duration.ofSeconds(30), client));
			if (opening.size() == 100 || i == connections - 1) {
				for (CompletableFuture<Connection> connection : opening) {
					connection.get(60, TimeUnit.SECONDS);
				}
				opening.clear();
			}
		}
		try {
			measureRawBusy(clients, this.warmup);
			return median(() -> measureRawBusy(clients, this.runTime));
		}
		finally {
			for (RawClient client : clients) {
				client.connection.close(1000, "done");
			}
		}
	}

	private static Result measureRawBusy(List<RawClient> clients, Duration duration) throws InterruptedException {
		Histogram latencies = new ConcurrentHistogram(1, TimeUnit.SECONDS.toMicros(60), 3);
		AtomicLong done = new AtomicLong();
		CountDownLatch finished = new CountDownLatch(clients.size());
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		for (RawClient client : clients) {
			client.start(latencies, done, deadline, finished);
		}
		if (!finished.await(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("raw echoes did not finish");
		}
		return new Result(done.get(), System.nanoTime() - start, latencies);
	}

	/** One raw connection with one echo in flight at a time. */
	private static final class RawClient implements ConnectionListener {

		private final byte[] frame;

		private volatile Connection connection;

		private volatile Histogram latencies;

		private volatile AtomicLong done;

		private volatile CountDownLatch finished;

		private volatile long deadline;

		private volatile long sent;

		RawClient(byte[] frame) {
			this.frame = frame;
		}

		void start(Histogram latencies, AtomicLong done, long deadline, CountDownLatch finished) {
			this.latencies = latencies;
			this.done = done;
			this.deadline = deadline;
			this.finished = finished;
			this.sent = System.nanoTime();
			this.connection.send(this.frame);
		}

		@Override
		public void onOpen(Connection opened) {
			this.connection = opened;
		}

		@Override
		public void onBinary(byte[] reply) {
			long now = System.nanoTime();
			this.latencies.recordValue(Math.max(1, (now - this.sent) / 1000));
			this.done.incrementAndGet();
			if (now < this.deadline) {
				this.sent = now;
				this.connection.send(this.frame);
			}
			else {
				this.finished.countDown();
			}
		}

		@Override
		public void onText(String text) {
		}

		@Override
		public void onClose(int code, String reason) {
		}

	}

	private Result stream(RemoteService bench, int chunks) throws Exception {
		long start = System.nanoTime();
		NetronReadableStream<?> stream = (NetronReadableStream<?>) bench.call("numbers", chunks).get(30, TimeUnit.SECONDS);
		AtomicLong count = new AtomicLong();
		stream.forEach((chunk) -> count.incrementAndGet()).get(60, TimeUnit.SECONDS);
		if (count.get() != chunks) {
			throw new IllegalStateException("stream delivered " + count.get() + " of " + chunks + " chunks");
		}
		return new Result(chunks, System.nanoTime() - start, null);
	}

	/** One stream the client sends as an argument; the server counts its chunks. */
	private Result streamArgument(RemoteService bench, int chunks) throws Exception {
		long start = System.nanoTime();
		NetronWritableStream<Integer> numbers = NetronWritableStream.from(IntStream.range(0, chunks).boxed().iterator());
		Object counted = bench.call("count", numbers).get(60, TimeUnit.SECONDS);
		if (((Number) counted).longValue() != chunks) {
			throw new IllegalStateException("the server counted " + counted + " of " + chunks + " chunks");
		}
		return new Result(chunks, System.nanoTime() - start, null);
	}

	private Result busy(Netron client, String uri, int connections) throws Exception {
		List<RemoteService> services = new ArrayList<>();
		List<CompletableFuture<RemotePeer>> opening = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			opening.add(client.connect(uri));
			if (opening.size() == 50) {
				for (CompletableFuture<RemotePeer> peer : opening) {
					services.add(peer.get(30, TimeUnit.SECONDS).queryInterface("bench@1.0.0"));
				}
				opening.clear();
			}
		}
		for (CompletableFuture<RemotePeer> peer : opening) {
			services.add(peer.get(30, TimeUnit.SECONDS).queryInterface("bench@1.0.0"));
		}
		// warm the new connections, then measure
		runOnePerConnection(services, this.warmup);
		Result result = median(() -> runOnePerConnection(services, this.runTime));
		for (RemoteService service : services) {
			service.peer().disconnect();
		}
		return result;
	}

	private Result runOnePerConnection(List<RemoteService> services, Duration duration) throws InterruptedException {
		Histogram latencies = new ConcurrentHistogram(1, TimeUnit.SECONDS.toMicros(60), 3);
		AtomicLong done = new AtomicLong();
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		CountDownLatch finished = new CountDownLatch(services.size());
		for (RemoteService service : services) {
			issue(service, "echo", latencies, done, deadline, finished);
		}
		if (!finished.await(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("calls did not finish");
		}
		return new Result(done.get(), System.nanoTime() - start, latencies);
	}

	/** Server heap per idle connection: used heap after GC before and after opening them. */
	private double idle(RemotePeer control, String uri, int connections) throws Exception {
		double before = ((Number) control.runTask("heap").get(60, TimeUnit.SECONDS)).doubleValue();
		JdkWebSocketConnector connector = new JdkWebSocketConnector(1 << 16, 1 << 16);
		List<Connection> open = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Connection>> pending = new ArrayList<>();
		ConnectionListener quiet = ConnectionListener.ignoring();		for (int i = 0; i < connections; i++) {
			pending.add(connector.connect(URI.create(uri + "?id=idle-" + i), Duration.ofSeconds(30), quiet));
			if (pending.size() == 100) {
				for (CompletableFuture<Connection> connection : pending) {
					open.add(connection.get(60, TimeUnit.SECONDS));
				}
				pending.clear();
			}
		}
		for (CompletableFuture<Connection> connection : pending) {
			open.add(connection.get(60, TimeUnit.SECONDS));
		}
		double after = ((Number) control.runTask("heap").get(120, TimeUnit.SECONDS)).doubleValue();
		for (Connection connection : open) {
			connection.close(1000, "done");
		}
		return (after - before) / connections;
	}

	// ------------------------------------------------------------------ reporting

	@FunctionalInterface
	private interface Measurement {

		Result measure() throws Exception;

	}

	private static Result median(Measurement measurement) throws Exception {
		List<Result> results = new ArrayList<>();
		for (int i = 0; i < RUNS; i++) {
			results.add(measurement.measure());
		}
		List<String> runs = results.stream().map((result) -> String.format(Locale.ROOT, "%,.0f", result.perSecond())).toList();
		results.sort((a, b) -> Double.compare(a.perSecond(), b.perSecond()));
		return results.get(RUNS / 2).withRuns(String.join(" / ", runs));
	}

	/** A row with each run's throughput and, when {@code raw} is given, the median's share of it. */
	private void row(String name, Result result, Result raw) {
		add(new String[] { name, String.format(Locale.ROOT, "%,.0f /s", result.perSecond()), result.runs(),
				(raw != null) ? String.format(Locale.ROOT, "%.0f%%", 100.0 * result.perSecond() / raw.perSecond()) : "",
				fmt(result.p50()), fmt(result.p99()), fmt(result.p999()) });
	}

	private static String fmt(double micros) {
		return (micros < 0) ? "" : String.format(Locale.ROOT, "%,.0f us", micros);
	}

	private static final String FORMAT = "| %-58s | %16s | %27s | %18s | %9s | %9s | %9s |%n";

	/** Prints a row at once, so that a run stopped halfway still shows what it measured. */
	private void add(String[] row) {
		if (this.rows.isEmpty()) {
			System.out.printf(Locale.ROOT, FORMAT, "scenario (median of " + RUNS + ")", "throughput", "each run", "vs raw",
					"p50", "p99", "p99.9");
			System.out.printf(Locale.ROOT, FORMAT, "---", "---", "---", "---", "---", "---", "---");
		}
		this.rows.add(row);
		System.out.printf(Locale.ROOT, FORMAT, (Object[]) row);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private record Result(long count, long nanos, Histogram latencies, String runs) {

		Result(long count, long nanos, Histogram latencies) {
			this(count, nanos, latencies, "");
		}

		Result withRuns(String runs) {
			return new Result(this.count, this.nanos, this.latencies, runs);
		}

		double perSecond() {
			return this.count * 1e9 / this.nanos;
		}

		double p50() {
			return (this.latencies != null) ? this.latencies.getValueAtPercentile(50) : -1;
		}

		double p99() {
			return (this.latencies != null) ? this.latencies.getValueAtPercentile(99) : -1;
		}

		double p999() {
			return (this.latencies != null) ? this.latencies.getValueAtPercentile(99.9) : -1;
		}

	}

}
