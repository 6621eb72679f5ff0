package io.netron;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Javadoc of the API users write against has no doclint warnings ({@code -Xdoclint:all}):
 * the annotations, the node, peers and remote services, proxies, streams, options, errors and
 * exceptions.
 */
class PublicApiJavadocTests {

	private static final List<String> PUBLIC_API = List.of("NetronException.java", "annotation/EnableNetronClients.java",
			"annotation/NetronClient.java", "annotation/NetronProperty.java", "annotation/NetronService.java",
			"annotation/Public.java", "annotation/RemoteMethod.java", "core/Netron.java", "core/NetronOptions.java",
			"core/RemotePeer.java", "core/RemoteService.java", "core/NetronProxy.java", "core/NetronEventListener.java",
			"core/RemoteInvocationException.java", "core/PeerDisconnectedException.java",
			"core/NetronTimeoutException.java", "core/UnknownServiceException.java", "core/InvalidServiceException.java",
			"stream/NetronReadableStream.java", "stream/NetronWritableStream.java", "protocol/JsError.java",
			"protocol/ProtocolException.java", "protocol/ValueConversionException.java",
			"protocol/MalformedPacketException.java");

	@Test
	void publicApiJavadocHasNoDoclintWarnings() throws IOException {
		Path sources = Path.of("src/main/java/io/netron");
		List<File> files = new ArrayList<>();
		for (String name : PUBLIC_API) {
			Path file = sources.resolve(name);
			assertThat(file).exists();
			files.add(file.toFile().getAbsoluteFile());
		}
		DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		Path output = Files.createTempDirectory("netron-javadoc");
		StringWriter log = new StringWriter();
		try (StandardJavaFileManager fileManager = javadoc.getStandardFileManager(diagnostics, null, null)) {
			// the whole library is documented (as a release would), the public API must be clean
			List<String> options = List.of("-Xdoclint:all", "-Xmaxwarns", "10000", "-quiet", "-d", output.toString(),
					"-sourcepath", "src/main/java", "-subpackages", "io.netron", "-classpath", classPath());
			boolean done = javadoc.getTask(log, fileManager, diagnostics, null, options, null).call();
			List<String> problems = diagnostics.getDiagnostics()
				.stream()
				.filter((diagnostic) -> diagnostic.getKind() == javax.tools.Diagnostic.Kind.ERROR
						|| (diagnostic.getKind() != javax.tools.Diagnostic.Kind.NOTE && diagnostic.getSource() != null
								&& files.stream().anyMatch((file) -> file.toURI().getPath()
									.equals(diagnostic.getSource().toUri().getPath()))))
				.map((diagnostic) -> diagnostic.getSource() + ":" + diagnostic.getLineNumber() + ": "
						+ diagnostic.getMessage(null))
				.toList();
			assertThat(problems).as("javadoc problems (%s)", log).isEmpty();
			assertThat(done).isTrue();
		}
	}

	/** The libraries only: this module's classes come from the source path. */
	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		String all = (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
		return java.util.Arrays.stream(all.split(File.pathSeparator))
			.filter((entry) -> !entry.endsWith("classes") && !entry.endsWith("classes" + File.separator))
			.collect(java.util.stream.Collectors.joining(File.pathSeparator));
	}

}
