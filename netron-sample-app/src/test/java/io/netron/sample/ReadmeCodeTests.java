package io.netron.sample;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code java} code block of the README compiles against the starter as a new user would
 * paste it, with the imports it gives and no others: the blocks are compiled together, in one
 * package (one may use a type another declares). A block of types is compiled as it is, a block of
 * members inside a class, a block of statements inside a method, its imports above.
 */
class ReadmeCodeTests {

	private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

	/** The package the blocks share (a type one block declares, another may use); nothing is imported for them. */
	private static final String PACKAGE = "package readme;\n\n";

	@Test
	void everyJavaBlockOfTheReadmeCompiles() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
		List<JavaFileObject> sources = new ArrayList<>();
		Matcher matcher = BLOCK.matcher(readme);
		while (matcher.find()) {
			sources.add(source(sources.size() + 1, matcher.group(1)));
		}
		assertThat(sources).hasSizeGreaterThanOrEqualTo(4);
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		Path output = Files.createTempDirectory("readme-classes");
		List<String> options = List.of("-proc:none", "-parameters", "-d", output.toString(), "-classpath", classPath());
		boolean compiled = compiler.getTask(null, null, diagnostics, options, null, sources).call();
		List<String> errors = diagnostics.getDiagnostics()
			.stream()
			.filter((diagnostic) -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
			.map((diagnostic) -> diagnostic.getSource().getName() + ":" + diagnostic.getLineNumber() + ": "
					+ diagnostic.getMessage(null))
			.toList();
		assertThat(errors).as("README code blocks that do not compile").isEmpty();
		assertThat(compiled).isTrue();
	}

	/** A block as a compilation unit of its own. */
	private static JavaFileObject source(int number, String block) {
		String className = "ReadmeBlock" + number;
		// a block's own imports, above the class a fragment is wrapped in
		StringBuilder imports = new StringBuilder();
		StringBuilder body = new StringBuilder();
		for (String line : block.split("\n", -1)) {
			(line.startsWith("import ") ? imports : body).append(line).append('\n');
		}
		block = body.toString();
		String code = switch (shape(block)) {
			// top-level types: one file may hold one public type only
			case TYPES -> block.replaceAll("(?m)^public (class|interface|record|enum) ", "$1 ")
					+ "\nclass " + className + " {\n}\n";
			case MEMBERS -> "class " + className + " {\n" + block + "\n}\n";
			case STATEMENTS -> "class " + className + " {\nvoid run() throws Exception {\n" + block + "\n}\n}\n";
		};
		String text = PACKAGE + imports + code;
		return new SimpleJavaFileObject(URI.create("string:///readme/" + className + ".java"), JavaFileObject.Kind.SOURCE) {

			@Override
			public CharSequence getCharContent(boolean ignoreEncodingErrors) {
				return text;
			}

		};
	}

	private enum Shape {

		TYPES, MEMBERS, STATEMENTS

	}

	/** What a block holds, judged by its first line that is neither an annotation nor a comment. */
	private static Shape shape(String block) {
		for (String line : block.split("\n")) {
			String trimmed = line.trim();
			if (trimmed.isEmpty() || trimmed.startsWith("@") || trimmed.startsWith("//")) {
				continue;
			}
			if (trimmed.matches("(public |final |abstract )*(class|interface|record|enum) .*")) {
				return Shape.TYPES;
			}
			if (trimmed.matches("(public|protected|private|static) .*")
					|| trimmed.matches("[\\w.<>\\[\\], ?]+ \\w+\\(.*\\)( throws [\\w., ]+)? \\{")) {
				// a modifier, or a method declaration without one (such as a @Bean method)
				return Shape.MEMBERS;
			}
			return Shape.STATEMENTS;
		}
		return Shape.STATEMENTS;
	}

	/** The test class path: Surefire's own when it hides it behind a manifest-only jar. */
	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

}
