package io.netron.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.JsMap;
import io.netron.stream.NetronWritableStream;
import io.netron.transport.JdkWebSocketConnector;
import io.netron.transport.NetronHandshakeHandler;
import io.netron.transport.NetronWebSocketHandler;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code netron} command against a real node on a random loopback port (a plain Java node on
 * an embedded Tomcat, serving services like the sample application's): every command, JSON output
 * parsed, exit codes, a refused call, a stream, and bad input.
 */
class NetronCliTests {

	private static Netron node;

	private static Tomcat tomcat;

	private static String url;

	@NetronService("calculator@1.0.0")
	public static class Calculator {

		@Public(readonly = true)
		public String version = "1.0.0";

		@Public
		public int counter;

		@Public
		public double add(double a, double b) {
			return a + b;
		}

		@Public
		public CompletableFuture<Double> divide(double a, double b) {
			if (b == 0) {
				return CompletableFuture.failedFuture(JsError.of(JsErrorType.RANGE_ERROR, "Division by zero").with("code", "E_DIV0"));
			}
			return CompletableFuture.completedFuture(a / b);
		}

		@Public
		public Object echo(Object value) {
			return value;
		}

		@Public
		public NetronWritableStream<Integer> countdown(int from) {
			return NetronWritableStream.from(IntStream.iterate(from, (i) -> i > 0, (i) -> i - 1).boxed().iterator());
		}

	}

	@BeforeAll
	static void start() throws Exception {
		node = new Netron(NetronOptions.defaults().withId("cli-test-node"), new JdkWebSocketConnector(64 << 20, 16 << 20));
		node.exposeService(new Calculator());
		tomcat = tomcat(node, null);
		url = "ws://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/netron";
	}

	@AfterAll
	static void stop() throws Exception {
		node.close();
		tomcat.stop();
		tomcat.destroy();
	}

	@Test
	void listShowsTheNodeAndItsServices() throws Exception {
		Run table = run("list", url);
		assertThat(table.exit).isZero();
		assertThat(table.out).contains("Node cli-test-node at " + url).containsPattern("calculator\\s+1\\.0\\.0\\s+4\\s+2");
		Run json = run("list", url, "--json");
		JsonNode result = json.json();
		assertThat(result.get("node").asText()).isEqualTo("cli-test-node");
		JsonNode service = result.get("services").get(0);
		assertThat(service.get("qualifiedName").asText()).isEqualTo("calculator@1.0.0");
		assertThat(service.get("methods")).extracting(JsonNode::asText).containsExactly("add", "divide", "echo", "countdown");
		assertThat(service.get("properties")).extracting(JsonNode::asText).containsExactlyInAnyOrder("version", "counter");
	}

	/**
	 * Over the Titan generation a node lists no services: list says so and takes the names to look
	 * up; describe, call and get look the service up with query_interface.
	 */
	@Test
	void titanGenerationNodesAreAskedForServicesByName() throws Exception {
		Run unnamed = run("list", url, "--generation", "titan");
		assertThat(unnamed.exit).isEqualTo(2);
		assertThat(unnamed.err).contains("speaks the Titan generation of Netron, which does not list its services")
			.contains("netron list URL calculator");
		Run named = run("list", url, "calculator", "--generation", "titan");
		assertThat(named.exit).as(named.err).isZero();
		assertThat(named.out).contains("Node cli-test-node at " + url + " (Titan generation)")
			.containsPattern("calculator\\s+1\\.0\\.0\\s+4\\s+2");
		assertThat(run("describe", url, "calculator@^1.0.0", "--generation", "titan").out)
			.contains("method    add(Number, Number): Number");
		assertThat(run("call", url, "calculator@1.0.0", "add", "1", "2", "--generation", "titan").json().asDouble())
			.isEqualTo(3);
		Run missing = run("describe", url, "nosuch@1.0.0", "--generation", "titan");
		assertThat(missing.exit).isEqualTo(2);
		assertThat(missing.err).contains("Unknown service: nosuch@1.0.0.", "Service 'nosuch@1.0.0' not found");
		assertThat(run("list", url, "--generation", "bronze").err).contains("Invalid --generation 'bronze': seed or titan");
	}

	/** Over http:// the command calls and describes through the node's HTTP transport, and says what it cannot do. */
	@Test
	void httpUrlsCallAndDescribeAndRefuseTheRest() throws Exception {
		String http = url.replace("ws://", "http://");
		assertThat(run("call", http, "calculator@1.0.0", "add", "1", "2").out.strip()).isEqualTo("3");
		assertThat(run("call", http, "calculator", "echo", "{\"a\":[1,\"x\"]}").out.strip()).isEqualTo("{\"a\":[1,\"x\"]}");
		assertThat(run("call", http, "calculator@1.0.0", "add", "[2, 3]").out.strip()).isEqualTo("5");
		Run failed = run("call", http, "calculator@1.0.0", "divide", "1", "0");
		assertThat(failed.exit).isEqualTo(1);
		assertThat(failed.err).contains("HttpError: Division by zero", "\"code\":\"500\"");
		Run unknown = run("call", http, "nosuch", "echo", "x");
		assertThat(unknown.exit).isEqualTo(1);
		assertThat(unknown.err).contains("Service nosuch not found", "\"code\":\"404\"");
		Run describe = run("describe", http, "calculator");
		assertThat(describe.exit).as(describe.err).isZero();
		assertThat(describe.out).contains("method    calculator@1.0.0.add(Number, Number): Number");
		Run get = run("get", http, "calculator", "version");
		assertThat(get.exit).isEqualTo(2);
		assertThat(get.err).contains("'get' needs a WebSocket connection");
		Run unreachable = run("call", "http://127.0.0.1:1/netron", "calculator", "add", "1", "2");
		assertThat(unreachable.exit).isEqualTo(3);
		assertThat(unreachable.err).startsWith("netron: Cannot reach http://127.0.0.1:1/netron");
	}

	/** A Titan node over HTTP: its API description answers 401 as Titan's does; calls work without it. */
	@Test
	void httpDescribeOfANodeThatHidesItsDescriptionSaysSoAndCallsStillWork() throws Exception {
		com.sun.net.httpserver.HttpServer titan = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
		titan.createContext("/netron/", (exchange) -> {
			boolean description = exchange.getRequestURI().getPath().endsWith("/openapi.json");
			byte[] body = (description ? "{\"error\":{\"code\":\"401\",\"message\":\"Authentication required\"}}"
					: "{\"id\":\"1\",\"success\":true,\"data\":5}").getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(description ? 401 : 200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		titan.start();
		try {
			String http = "http://127.0.0.1:" + titan.getAddress().getPort() + "/netron";
			Run describe = run("describe", http, "conformance@1.0.0");
			assertThat(describe.exit).isEqualTo(3);
			assertThat(describe.err).contains("Refused with HTTP 401", "describes its services only to authenticated callers",
					"'call' works without the description");
			assertThat(run("call", http, "conformance@1.0.0", "add", "2", "3").out.strip()).isEqualTo("5");
		}
		finally {
			titan.stop(0);
		}
	}

	@Test
	void describeGivesMembersKindsAndTypes() throws Exception {
		Run text = run("describe", url, "calculator@^1.0.0");
		assertThat(text.exit).isZero();
		assertThat(text.out).contains("calculator@1.0.0 on node cli-test-node", "method    add(Number, Number): Number",
				"readonly  version: String", "property  counter: Number");
		JsonNode json = run("describe", url, "calculator@^1.0.0", "--json").json();
		assertThat(json.at("/methods/add/arguments")).extracting(JsonNode::asText).containsExactly("Number", "Number");
		assertThat(json.at("/properties/version/readonly").asBoolean()).isTrue();
		assertThat(json.at("/properties/counter/readonly").asBoolean()).isFalse();
	}

	@Test
	void callTakesJsonArgumentsOneByOneOrAsOneArray() throws Exception {
		assertThat(run("call", url, "calculator@1.0.0", "add", "1", "2").json().asDouble()).isEqualTo(3);
		assertThat(run("call", url, "calculator", "divide", "[1, 4]").json().asDouble()).isEqualTo(0.25);
		// a bare word is a string
		assertThat(run("call", url, "calculator", "echo", "hello").json().asText()).isEqualTo("hello");
	}

	@Test
	void typesJsonLacksAreTaggedBothWays() throws Exception {
		String tagged = "{\"when\":{\"$date\":\"2026-11-26T10:00:00Z\"},\"map\":{\"$map\":[[1,\"one\"]]},"
				+ "\"set\":{\"$set\":[1,2]},\"big\":{\"$bigint\":\"123456789012345678901234567890\"},"
				+ "\"bytes\":{\"$binary\":\"aGVsbG8=\"},\"nothing\":{\"$undefined\":true},\"plain\":[1,\"x\",null,true]}";
		Run echoed = run("call", url, "calculator", "echo", tagged);
		assertThat(echoed.exit).as(echoed.err).isZero();
		// the node saw the JavaScript types, and sent them back
		assertThat(echoed.json()).isEqualTo(JsonValues.JSON.readTree(tagged));
		Object parsed = JsonValues.parse(tagged);
		assertThat(parsed).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("when", Instant.parse("2026-11-26T10:00:00Z"))
			.hasEntrySatisfying("map", (map) -> assertThat(map).isInstanceOf(JsMap.class));
	}

	@Test
	void anErrorAnsweredByTheNodeIsPrintedWithItsFieldsAndExitsWithOne() throws Exception {
		Run refused = run("call", url, "calculator", "divide", "[1, 0]");
		assertThat(refused.exit).isEqualTo(1);
		assertThat(refused.out).isEmpty();
		assertThat(refused.err.strip()).isEqualTo("netron: RangeError: Division by zero {\"code\":\"E_DIV0\"}");
		JsonNode json = run("call", url, "calculator", "divide", "[1, 0]", "--json").json();
		assertThat(json.at("/error/name").asText()).isEqualTo("RangeError");
		assertThat(json.at("/error/message").asText()).isEqualTo("Division by zero");
		assertThat(json.at("/error/fields/code").asText()).isEqualTo("E_DIV0");
	}

	@Test
	void everyCommandAnswersHelpWithItsUsage() {
		for (String[] command : new String[][] { {}, { "list" }, { "describe" }, { "call" }, { "get" }, { "set" }, { "watch" },
				{ "nodes" }, { "generate" }, { "generate", "java" }, { "generate", "ts" } }) {
			String[] args = java.util.Arrays.copyOf(command, command.length + 1);
			args[command.length] = "--help";
			Run help = run(args);
			assertThat(help.exit).as(String.join(" ", args) + ": " + help.err).isZero();
			assertThat(help.out).as(String.join(" ", args)).startsWith("Usage: netron");
			assertThat(help.err).isEmpty();
		}
		assertThat(run("generate", "java", "--help").out).contains("--peer=NAME");
	}

	@Test
	void listOrdersServicesByNameThenVersionOnEveryRun() throws Exception {
		Netron several = new Netron(NetronOptions.defaults().withId("several"), new JdkWebSocketConnector(1 << 20, 1 << 20));
		several.exposeService(new Zeta());
		several.exposeService(new AlphaTen());
		several.exposeService(new AlphaNine());
		Tomcat server = tomcat(several, null);
		try {
			Run table = run("list", "ws://127.0.0.1:" + server.getConnector().getLocalPort() + "/netron");
			assertThat(table.exit).as(table.err).isZero();
			assertThat(table.out).containsPattern("(?s)alpha\\s+1\\.9\\.0.*alpha\\s+1\\.10\\.0.*zeta\\s+1\\.0\\.0");
		}
		finally {
			several.close();
			server.stop();
			server.destroy();
		}
	}

	@NetronService("zeta@1.0.0")
	public static class Zeta {

		@Public
		public int one() {
			return 1;
		}

	}

	@NetronService("alpha@1.10.0")
	public static class AlphaTen {

		@Public
		public int ten() {
			return 10;
		}

	}

	@NetronService("alpha@1.9.0")
	public static class AlphaNine {

		@Public
		public int nine() {
			return 9;
		}

	}

	@Test
	void propertiesAreReadAndWritten() throws Exception {
		assertThat(run("get", url, "calculator", "version").json().asText()).isEqualTo("1.0.0");
		Run set = run("set", url, "calculator", "counter", "7");
		assertThat(set.exit).isZero();
		assertThat(set.out).as("set prints nothing (it printed an empty line)").isEmpty();
		assertThat(run("get", url, "calculator", "counter").json().asInt()).isEqualTo(7);
		Run readonly = run("set", url, "calculator", "version", "\"2.0.0\"");
		assertThat(readonly.exit).isEqualTo(2);
		assertThat(readonly.err).contains("Property is not writable: 'version' is marked as readonly");
	}

	@Test
	void aStreamPrintsItsChunksAsTheyCome() throws Exception {
		Run stream = run("call", url, "calculator", "countdown", "3");
		assertThat(stream.exit).isZero();
		assertThat(stream.out.lines().toList()).containsExactly("3", "2", "1");
	}

	@Test
	void watchPrintsEventsAsTheyArrive() throws Exception {
		CompletableFuture<Run> watching = CompletableFuture.supplyAsync(() -> run("watch", url, "tick", "--count", "2"));
		// the node emits until the watcher has had its two (it subscribes at some point in between)
		for (int i = 0; i < 200 && !watching.isDone(); i++) {
			node.emit("tick", i, "x").get(5, java.util.concurrent.TimeUnit.SECONDS);
			try {
				watching.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
			}
			catch (java.util.concurrent.TimeoutException ex) {
				// still watching: emit the next one
			}
		}
		Run watched = watching.get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(watched).as("the watcher ended").isNotNull();
		assertThat(watched.exit).as(watched.err).isZero();
		List<String> lines = watched.out.lines().toList();
		assertThat(lines).hasSize(2);
		JsonNode first = JsonValues.JSON.readTree(lines.get(0));
		assertThat(first.get("event").asText()).isEqualTo("tick");
		assertThat(first.get("args").get(1).asText()).isEqualTo("x");
		assertThat(JsonValues.JSON.readTree(lines.get(1)).get("args").get(0).asInt())
			.isEqualTo(first.get("args").get(0).asInt() + 1);
	}

	@Test
	void badInputGetsOneClearLineAndANonZeroExitNeverAStackTrace() throws Exception {
		Run unknown = run("call", url, "nope@1.0.0", "x");
		assertThat(unknown.exit).isEqualTo(2);
		assertThat(unknown.err.strip()).isEqualTo("netron: Unknown service: nope@1.0.0. (peer cli-test-node (" + url
				+ ") offers calculator@1.0.0)");
		Run member = run("call", url, "calculator", "nope");
		assertThat(member.exit).isEqualTo(2);
		assertThat(member.err.strip()).startsWith(
				"netron: Unknown member: 'nope' is not defined in the service interface of calculator@1.0.0 (methods: add");
		Run malformed = run("call", url, "calculator", "add", "[1,");
		assertThat(malformed.exit).isEqualTo(2);
		assertThat(malformed.err.strip()).startsWith("netron: Malformed JSON argument '[1,'");
		Run unreachable = run("list", "ws://127.0.0.1:1/netron");
		assertThat(unreachable.exit).isEqualTo(3);
		assertThat(unreachable.err.strip()).startsWith("netron: Cannot connect to ws://127.0.0.1:1/netron");
		Run unknownHost = run("list", "ws://no-such-host.invalid:8080/netron");
		assertThat(unknownHost.exit).isEqualTo(3);
		assertThat(unknownHost.err.strip()).isEqualTo("netron: Cannot connect to ws://no-such-host.invalid:8080/netron: "
				+ "the host 'no-such-host.invalid' cannot be resolved (no such name, or no name server answered)");
		Run unknownHttpHost = run("call", "http://no-such-host.invalid:8080/netron", "calculator", "add", "1", "2");
		assertThat(unknownHttpHost.exit).isEqualTo(3);
		assertThat(unknownHttpHost.err.strip()).endsWith(
				"the host 'no-such-host.invalid' cannot be resolved (no such name, or no name server answered)");
		Run scheme = run("list", "http://127.0.0.1:1/netron");
		assertThat(scheme.exit).isEqualTo(2);
		assertThat(scheme.err.strip()).isEqualTo("netron: 'list' needs a WebSocket connection (ws://... or wss://...): "
				+ "over http:// the netron command can call methods and describe services");
		Run ftp = run("list", "ftp://127.0.0.1:1/netron");
		assertThat(ftp.exit).isEqualTo(2);
		assertThat(ftp.err.strip()).isEqualTo("netron: Invalid URL 'ftp://127.0.0.1:1/netron': use ws://host:port/path or "
				+ "wss://... (or http://host:port/path for call and describe)");
		Run usage = run("call", url);
		assertThat(usage.exit).isEqualTo(2);
		assertThat(usage.err).contains("Missing required parameters");
		for (Run run : List.of(unknown, member, malformed, unreachable, scheme, usage)) {
			assertThat(run.err).doesNotContain("\tat ").doesNotContain("Exception in thread");
		}
	}

	@Test
	void generatedJavaClientsCompileAndCallTheNode(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
			throws Exception {
		Run generated = run("generate", "java", url, "calculator@^1.0.0", "--package", "com.acme.clients", "--out",
				dir.toString());
		assertThat(generated.exit).as(generated.err).isZero();
		java.nio.file.Path source = dir.resolve("com/acme/clients/CalculatorClient.java");
		assertThat(generated.out.strip()).isEqualTo(source.toString());
		Run withPeer = run("generate", "java", url, "calculator@^1.0.0", "--package", "com.acme.peered", "--peer",
				"calculator", "--out", dir.toString());
		assertThat(withPeer.exit).as(withPeer.err).isZero();
		assertThat(Files.readString(dir.resolve("com/acme/peered/CalculatorClient.java")))
			.contains("@NetronClient(value = \"calculator@^1.0.0\", peer = \"calculator\")");
		assertThat(run("generate", "java", url, "--package", "com.acme", "--peer", "no peer").err)
			.contains("Invalid --peer 'no peer'");
		assertThat(Files.readString(source)).contains("@NetronClient(\"calculator@^1.0.0\")",
				"double add(double arg0, double arg1);", "CompletableFuture<Double> addAsync(double arg0, double arg1);",
				"Returns a Promise: the definition does not say of what.", "@NetronProperty(\"version\")");
		java.nio.file.Path classes = Files.createDirectories(dir.resolve("classes"));
		ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		int compiled = javax.tools.ToolProvider.getSystemJavaCompiler()
			.run(null, null, new PrintStream(diagnostics, true, StandardCharsets.UTF_8), "-proc:none", "-d",
					classes.toString(), "-classpath", classPath, source.toString());
		assertThat(compiled).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();
		try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] { classes.toUri().toURL() },
				getClass().getClassLoader());
				Netron client = new Netron(NetronOptions.defaults(), new JdkWebSocketConnector(1 << 20, 1 << 20))) {
			Class<?> type = loader.loadClass("com.acme.clients.CalculatorClient");
			assertThat(type.getAnnotation(io.netron.annotation.NetronClient.class).value()).isEqualTo("calculator@^1.0.0");
			Object calculator = client.connect(url).join().queryInterface("calculator@^1.0.0", type);
			assertThat(type.getMethod("add", double.class, double.class).invoke(calculator, 1.0, 2.0)).isEqualTo(3.0);
			Object async = type.getMethod("addAsync", double.class, double.class).invoke(calculator, 2.0, 2.0);
			assertThat(((CompletableFuture<?>) async).get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4.0);
			assertThat(type.getMethod("divide", double.class, double.class).invoke(calculator, 1.0, 4.0)).isEqualTo(0.25);
			assertThat(type.getMethod("version").invoke(calculator)).isEqualTo("1.0.0");
			type.getMethod("counter", double.class).invoke(calculator, 5.0);
			assertThat(type.getMethod("counter").invoke(calculator)).isEqualTo(5.0);
			assertThat(java.util.Arrays.stream(type.getMethods()).map(java.lang.reflect.Method::getName))
				.doesNotContain("version_");
		}
	}

	@Test
	void generatedTypeScriptInterfacesDescribeTheServices() throws Exception {
		Run generated = run("generate", "ts", url);
		assertThat(generated.exit).as(generated.err).isZero();
		assertThat(generated.out).contains("export interface CalculatorV1_0_0 {",
				"  add(arg0: number, arg1: number): Promise<number>;", "  readonly version: string;", "  counter: number;");
	}

	// ------------------------------------------------------------------ helpers

	record Run(int exit, String out, String err) {

		JsonNode json() throws Exception {
			assertThat(this.exit).as(this.err).isIn(0, 1);
			return JsonValues.JSON.readTree(this.out);
		}

	}

	static Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = NetronCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/** An embedded Tomcat serving the node's endpoint at /netron, with Spring's WebSocket support only. */
	/** A servlet that hands every request to a Spring request handler. */
	private static HttpServlet servlet(org.springframework.web.HttpRequestHandler handler) {
		return new HttpServlet() {

			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
				try {
					handler.handleRequest(request, response);
				}
				catch (jakarta.servlet.ServletException ex) {
					throw new java.io.IOException(ex);
				}
			}

		};
	}

	static Tomcat tomcat(Netron netron, java.nio.file.@org.jspecify.annotations.Nullable Path keystore) throws Exception {
		File base = Files.createTempDirectory("netron-cli-tomcat").toFile();
		Tomcat server = new Tomcat();
		server.setBaseDir(base.getAbsolutePath());
		server.setPort(0);
		server.getConnector().setProperty("address", "127.0.0.1");
		if (keystore != null) {
			// wss:// with the key store's certificate (PKCS12, password "secret")
			org.apache.catalina.connector.Connector connector = server.getConnector();
			connector.setSecure(true);
			connector.setScheme("https");
			connector.setProperty("SSLEnabled", "true");
			org.apache.tomcat.util.net.SSLHostConfig ssl = new org.apache.tomcat.util.net.SSLHostConfig();
			org.apache.tomcat.util.net.SSLHostConfigCertificate certificate = new org.apache.tomcat.util.net.SSLHostConfigCertificate(
					ssl, org.apache.tomcat.util.net.SSLHostConfigCertificate.Type.RSA);
			certificate.setCertificateKeystoreFile(keystore.toString());
			certificate.setCertificateKeystorePassword("secret");
			certificate.setCertificateKeystoreType("PKCS12");
			ssl.addCertificate(certificate);
			connector.addSslHostConfig(ssl);
		}
		Context context = server.addContext("", base.getAbsolutePath());
		context.addServletContainerInitializer(new WsSci(), null);
		WebSocketHttpRequestHandler endpoint = new WebSocketHttpRequestHandler(new NetronWebSocketHandler(netron),
				new NetronHandshakeHandler(false));
		endpoint.start();
		Tomcat.addServlet(context, "netron", servlet(endpoint));
		context.addServletMappingDecoded("/netron", "netron");
		// the HTTP transport beside it, as the auto-configuration maps it
		Tomcat.addServlet(context, "netron-http", servlet(new io.netron.transport.NetronHttpHandler(netron, 1 << 20, 100)));
		context.addServletMappingDecoded("/netron/*", "netron-http");
		server.start();
		return server;
	}

}
