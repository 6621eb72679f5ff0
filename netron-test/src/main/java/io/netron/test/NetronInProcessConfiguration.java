package io.netron.test;

import io.netron.autoconfigure.NetronCustomizer;
import io.netron.autoconfigure.NetronProperties;
import io.netron.transport.JdkWebSocketConnector;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What {@link AutoConfigureNetronInProcess} adds: the node's connector (the bean named
 * {@code netronConnector}, which the auto-configuration then does not define) is an
 * {@link InProcessTransport} falling back to the JDK WebSocket client, and the node serves itself
 * in process once created.
 */
@Configuration(proxyBeanMethods = false)
public class NetronInProcessConfiguration {

	/** The property naming the node in process ({@code application} by default). */
	public static final String NAME_PROPERTY = "netron.test.in-process-name";

	@Bean(destroyMethod = "close")
	InProcessTransport netronConnector(NetronProperties properties) {
		return new InProcessTransport(new JdkWebSocketConnector((int) properties.getServer().getMaxMessageSize().toBytes(),
				properties.getServer().getSendBufferSize().toBytes()));
	}

	@Bean
	NetronCustomizer netronInProcessServer(InProcessTransport netronConnector, Environment environment) {
		return (netron) -> netronConnector.serve(environment.getProperty(NAME_PROPERTY, "application"), netron);
	}

}
