package io.netron;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's Javadoc has no doclint warnings ({@code -Xdoclint:all}): every public type and
 * member says what it is, its parameters and what it returns.
 */
class LibraryJavadocTests {

	@Test
	void libraryJavadocHasNoDoclintWarnings() throws IOException {
		DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		StringWriter log = new StringWriter();
		List<String> options = List.of("-Xdoclint:all", "-Xmaxwarns", "10000", "-quiet", "-d",
				Files.createTempDirectory("netron-javadoc").toString(), "-sourcepath", "src/main/java", "-subpackages",
				"io.netron", "-classpath", classPath());
		boolean done = javadoc.getTask(log, null, diagnostics, null, options, null).call();
		List<String> problems = diagnostics.getDiagnostics()
			.stream()
			.filter((diagnostic) -> diagnostic.getKind() != Diagnostic.Kind.NOTE)
			.map((diagnostic) -> diagnostic.getSource() + ":" + diagnostic.getLineNumber() + ": "
					+ diagnostic.getMessage(null))
			.toList();
		assertThat(problems).as("javadoc problems (%s)", log).isEmpty();
		assertThat(done).isTrue();
	}

	/** The class path without this module's own classes: they come from the source path. */
	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		String all = (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
		String own = Path.of("target").toAbsolutePath().toString();
		return Arrays.stream(all.split(File.pathSeparator))
			.filter((entry) -> !entry.startsWith(own))
			.collect(Collectors.joining(File.pathSeparator));
	}

}
