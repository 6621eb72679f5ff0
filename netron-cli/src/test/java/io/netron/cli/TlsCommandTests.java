package io.netron.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.transport.JdkWebSocketConnector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wss://}: a node on an embedded Tomcat with a self-signed certificate made here with the
 * JDK's keytool; the command trusts it through {@code --truststore}, or anything with
 * {@code --insecure}, and refuses it otherwise with one clear line.
 */
class TlsCommandTests {

	@Test
	void wssWithATrustStoreWithInsecureAndWithout(@TempDir Path keys) throws Exception {
		keytool("-genkeypair", "-alias", "netron", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
				"CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-keystore", keys.resolve("server.p12").toString(),
				"-storetype", "PKCS12", "-storepass", "secret", "-keypass", "secret");
		keytool("-exportcert", "-alias", "netron", "-keystore", keys.resolve("server.p12").toString(), "-storepass",
				"secret", "-file", keys.resolve("server.cer").toString());
		keytool("-importcert", "-noprompt", "-alias", "netron", "-file", keys.resolve("server.cer").toString(),
				"-keystore", keys.resolve("trust.p12").toString(), "-storetype", "PKCS12", "-storepass", "secret");
		Netron node = new Netron(NetronOptions.defaults().withId("tls-node"), new JdkWebSocketConnector(1 << 20, 1 << 20));
		node.exposeService(new NetronCliTests.Calculator());
		Tomcat tomcat = NetronCliTests.tomcat(node, keys.resolve("server.p12"));
		try {
			String url = "wss://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/netron";
			NetronCliTests.Run trusted = NetronCliTests.run("call", url, "calculator", "add", "1", "2", "--truststore",
					keys.resolve("trust.p12").toString(), "--truststore-password", "secret");
			assertThat(trusted.exit()).as(trusted.err()).isZero();
			assertThat(trusted.out().strip()).isEqualTo("3");
			NetronCliTests.Run refused = NetronCliTests.run("list", url, "--timeout", "3");
			assertThat(refused.exit()).isEqualTo(3);
			assertThat(refused.err().strip()).startsWith("netron: Cannot connect to " + url);
			assertThat(refused.err()).doesNotContain("\tat ");
			NetronCliTests.Run missing = NetronCliTests.run("list", url, "--truststore", keys.resolve("nope.p12").toString());
			assertThat(missing.exit()).isEqualTo(2);
			assertThat(missing.err().strip()).startsWith("netron: Cannot read --truststore");
			// last: --insecure also turns host name checks off for this JVM
			NetronCliTests.Run insecure = NetronCliTests.run("get", url, "calculator", "version", "--insecure");
			assertThat(insecure.exit()).as(insecure.err()).isZero();
			assertThat(insecure.out().strip()).isEqualTo("\"1.0.0\"");
		}
		finally {
			node.close();
			tomcat.stop();
			tomcat.destroy();
		}
	}

	private static void keytool(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
	}

}
